package io.mycelium.codegen.compat;

import java.util.List;

/**
 * The outcome of comparing two contracts files.
 *
 * @param problems reasons the new file breaks peers built from the old one (empty when compatible)
 * @param notes    compatible differences, such as added messages
 */
public record CompatibilityReport(List<String> problems, List<String> notes) {

    /** @return whether peers built from the old and the new file agree on every old message's bytes */
    public boolean compatible() {
        return problems.isEmpty();
    }
}
