package io.mycelium.codegen.maven;

import java.io.File;
import java.io.UncheckedIOException;

import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import io.mycelium.codegen.Codegen;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.parse.ContractsException;

/**
 * Generates Java message classes and the {@code mycelium_protocol} Python package from a contracts file, adds the
 * Java directory as a compile source root and the Python directory as a resource root, so the bundle carries
 * {@code python/mycelium_protocol/...}. Nothing else is configured.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** The contracts file. */
    @Parameter(property = "mycelium.contracts", defaultValue = "${project.basedir}/src/main/contracts/contracts.yaml")
    private File contracts;

    /** The package of the generated Java classes, e.g. {@code com.example.protocol}. */
    @Parameter(property = "mycelium.javaPackage", required = true)
    private String javaPackage;

    /** The schema class name; derived from {@code schema.id} or the file name when unset. */
    @Parameter(property = "mycelium.schemaClass")
    private String schemaClass;

    /** Root of the generated Java sources. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/mycelium")
    private File javaOutputDirectory;

    /** Resource root; the Python package is written to {@code python/mycelium_protocol} below it. */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/mycelium")
    private File pythonOutputDirectory;

    /** Skips generation. */
    @Parameter(property = "mycelium.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("mycelium:generate skipped");
            return;
        }
        final Contracts parsed;
        try {
            parsed = Codegen.generate(contracts.toPath(), javaOutputDirectory.toPath(), javaPackage, schemaClass,
                pythonOutputDirectory.toPath().resolve("python"));
        } catch (final ContractsException | IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (final UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        parsed.warnings().forEach(w -> getLog().warn(w));
        getLog().info("mycelium: " + parsed.messages().size() + " message types from " + contracts.getName()
            + " (digest " + parsed.digestHex() + ") -> " + javaPackage);
        project.addCompileSourceRoot(javaOutputDirectory.getAbsolutePath());
        final Resource resource = new Resource();
        resource.setDirectory(pythonOutputDirectory.getAbsolutePath());
        resource.addInclude("python/**");
        project.addResource(resource);
    }
}
