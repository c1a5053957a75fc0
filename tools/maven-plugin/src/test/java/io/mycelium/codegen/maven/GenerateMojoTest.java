package io.mycelium.codegen.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate goal as Maven runs it: outputs written, source root and python resource root registered. */
class GenerateMojoTest {

    @TempDir
    Path temp;

    private static final String CONTRACTS = "messages:\n"
        + "  Ping:\n    tlv_type: 1000\n    domain: Test\n    description: A ping\n    fields:\n"
        + "      seq: {type: u64, description: sequence}\n      note: {type: String, description: text}\n";

    private GenerateMojo mojo(final Path contracts, final MavenProject project) throws Exception {
        final GenerateMojo mojo = new GenerateMojo();
        set(mojo, "contracts", contracts.toFile());
        set(mojo, "javaPackage", "com.example.ping");
        set(mojo, "javaOutputDirectory", temp.resolve("target/generated-sources/mycelium").toFile());
        set(mojo, "pythonOutputDirectory", temp.resolve("target/generated-resources/mycelium").toFile());
        set(mojo, "project", project);
        return mojo;
    }

    private static void set(final Object target, final String name, final Object value) throws Exception {
        final Field field = GenerateMojo.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }

    @Test
    void shouldGenerateAndRegisterSourceAndResourceRoots() throws Exception {
        final Path contracts = Files.writeString(temp.resolve("ping.yaml"), CONTRACTS);
        final MavenProject project = new MavenProject();
        mojo(contracts, project).execute();
        final Path java = temp.resolve("target/generated-sources/mycelium/com/example/ping");
        assertTrue(Files.exists(java.resolve("Ping.java")));
        assertTrue(Files.exists(java.resolve("PingSchema.java")));
        assertTrue(Files.exists(java.resolve("PingSchemaComponent.java")));
        final Path python = temp.resolve("target/generated-resources/mycelium/python/mycelium_protocol");
        assertTrue(Files.exists(python.resolve("messages.py")));
        assertTrue(Files.exists(python.resolve("py.typed")));
        assertTrue(project.getCompileSourceRoots().contains(
            temp.resolve("target/generated-sources/mycelium").toFile().getAbsolutePath()));
        final List<Resource> resources = project.getResources();
        assertEquals(1, resources.size());
        assertEquals(temp.resolve("target/generated-resources/mycelium").toFile().getAbsolutePath(),
            resources.get(0).getDirectory());
        assertEquals(List.of("python/**"), resources.get(0).getIncludes());
    }

    @Test
    void shouldFailBuildNamingFileAndLineWhenContractsAreInvalid() throws Exception {
        final Path contracts = Files.writeString(temp.resolve("ping.yaml"), CONTRACTS.replace("u64", "u128"));
        final MojoFailureException e = assertThrows(MojoFailureException.class,
            () -> mojo(contracts, new MavenProject()).execute());
        assertTrue(e.getMessage().startsWith("ping.yaml:7: Ping.seq: unknown type 'u128'"), e.getMessage());
    }

    @Test
    void shouldSkipWhenAsked() throws Exception {
        final MavenProject project = new MavenProject();
        final GenerateMojo mojo = mojo(temp.resolve("missing.yaml"), project);
        set(mojo, "skip", true);
        mojo.execute();
        assertEquals(List.of(), project.getCompileSourceRoots());
        assertTrue(!new File(temp.toFile(), "target").exists());
    }
}
