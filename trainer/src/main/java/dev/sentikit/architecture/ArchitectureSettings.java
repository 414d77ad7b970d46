package dev.sentikit.architecture;

/**
 * The settings of one architecture that the others do not have, such as a word-embedding network's widths or a
 * transformer's base. Immutable. Only the architecture that made them reads them: it writes them into a model card
 * and reads them back ({@link Architecture#writeSettings}, {@link Architecture#readSettings}); everything else
 * passes them along.
 */
public interface ArchitectureSettings {}
