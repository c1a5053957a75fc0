package io.mycelium.codegen.parse;

/**
 * A contracts file cannot be used; the message names the file, the 1-based line and what to fix.
 */
public final class ContractsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    /**
     * @param file    the contracts file name
     * @param line    the 1-based line the problem is on
     * @param problem what is wrong and how to fix it
     */
    public ContractsException(final String file, final int line, final String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /**
     * @param file    the contracts file name
     * @param line    the 1-based line
     * @param problem what is wrong
     * @param cause   the underlying failure
     */
    public ContractsException(final String file, final int line, final String problem, final Throwable cause) {
        super(file + ":" + line + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    /** @return the contracts file name */
    public String file() {
        return file;
    }

    /** @return the 1-based line of the problem */
    public int line() {
        return line;
    }
}
