/**
 * Text corpora for word-level language models, by the convention that keeps vdrop's perplexities
 * comparable with other tools: lower-case, paragraphs at blank lines, tokens matching
 * {@code [a-z0-9]+(?:'[a-z]+)?|[.,;:!?]}, {@code <eos>} after each paragraph, an 80/10/10 split
 * and a vocabulary of {@code <unk>} plus the most frequent training tokens.
 */
package dev.vdrop.runtime.text;
