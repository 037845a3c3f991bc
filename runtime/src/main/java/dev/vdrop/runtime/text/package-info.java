/**
 * Text for vdrop's models. Language models: corpora by the convention that keeps vdrop's
 * perplexities comparable with other tools ({@link dev.vdrop.runtime.text.Tokenizer},
 * {@link dev.vdrop.runtime.text.Corpus}): lower-case, paragraphs at blank lines, tokens matching
 * {@code [a-z0-9]+(?:'[a-z]+)?|[.,;:!?]}, {@code <eos>} after each paragraph, an 80/10/10 split
 * and a vocabulary of {@code <unk>} plus the most frequent training tokens; or, for a corpus in
 * another language, words of every script in the same paragraphs
 * ({@link dev.vdrop.runtime.text.CorpusTokenizer#UNICODE}). Classifiers: labelled
 * texts read from a TSV file or from one list per label ({@link dev.vdrop.runtime.text.LabelledText}),
 * split into characters or into words of any script ({@link dev.vdrop.runtime.text.UnicodeTokens}),
 * with ids from the same {@link dev.vdrop.runtime.text.Vocabulary}. Files: strict UTF-8 whose
 * errors name the byte offset and line ({@link dev.vdrop.runtime.text.Utf8}).
 */
package dev.vdrop.runtime.text;
