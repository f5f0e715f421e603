/**
 * Readers of embedding matrices and vocabularies: {@code .npy}, torch {@code .pt}, {@code
 * .safetensors}, ONNX initializers, Parquet and word2vec/GloVe text, plus {@code .txt}, BERT {@code
 * vocab.txt}, Hugging Face {@code tokenizer.json} and GPT-2 {@code vocab.json} vocabularies. Binary
 * formats with a fixed row stride become a {@link org.simheat.jobs.input.StridedMatrixFile}, which
 * executors read row ranges of straight from the file system, so a large matrix never passes
 * through the driver; the rest are parsed into a {@link org.simheat.jobs.input.DenseMatrix}. Every
 * reader validates its file before any Spark action and fails with one line naming the file and the
 * problem.
 */
package org.simheat.jobs.input;
