"""The queries the benchmark types and the half-remembered queries of the quality check."""

from __future__ import annotations

# Typed character by character into the filter bar, so every prefix is measured
# too ("t", "tr", "tra", ...). 1-15 characters each: real words, typos, two-word
# queries, field filters and exclusions (the query language of the README, "Queries").
KEYSTROKE_QUERIES: tuple[str, ...] = (
    "transformer",
    "attention",
    "trasnformer",
    "mamba",
    "state space",
    "diffusion",
    "llm agents",
    "kv cache",
    "retrieval",
    "speculative",
    "tokenization",
    "quantisation",
    "mixture expert",
    "recurent",
    "seq2seq",
    "pointer net",
    "long context",
    "status:read",
    "has:note",
    "-model",
    "status:to-read",
    "beam search",
    "reinforcement",
    "memory",
    "lora",
    "rnn",
    "graph neural",
    "protein",
    "code llm",
    "x",
    "sparse -survey",
    "has:note llm",
    "dna storage",
    "linear attn",
)

# Half-remembered queries for real seed papers: (kind, typed, expected title).
# A subset of tests/unit/test_search_quality.py (the seeds are part of every
# benchmark library, so here each target hides among up to 100,000 papers).
SEED_QUALITY_QUERIES: tuple[tuple[str, str, str], ...] = (
    ("typo", "poiner netwroks", "Pointer Networks"),
    (
        "typo",
        "diverse beam serach",
        "Diverse Beam Search: Decoding Diverse Solutions from Neural Sequence Models",
    ),
    ("typo", "musik transformer", "Music Transformer"),
    (
        "typo",
        "hungry hipos",
        "Hungry Hungry Hippos: Towards Language Modeling with State Space Models",
    ),
    ("typo", "copyrigth traps", "Copyright Traps for Large Language Models"),
    ("typo", "tokenisation", "Toward a Theory of Tokenization in LLMs"),
    (
        "typo",
        "giraffe contxt lenghts",
        "Giraffe: Adventures in Expanding Context Lengths in LLMs",
    ),
    ("typo", "mixtrue of experts survey", "A Survey on Mixture of Experts"),
    ("typo", "quantisation outliers", "Accurate Block Quantization in LLMs with Outliers"),
    (
        "typo",
        "critcal reveiw recurent",
        "A Critical Review of Recurrent Neural Networks for Sequence Learning",
    ),
    ("reorder", "tokenization theory", "Toward a Theory of Tokenization in LLMs"),
    ("reorder", "sets sequence order", "Order Matters: Sequence to sequence for sets"),
    ("reorder", "search tree llm", "LLM Tree Search"),
    ("reorder", "networks pointer", "Pointer Networks"),
    (
        "reorder",
        "selective state spaces mamba",
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
    ),
    (
        "reorder",
        "recall gap read twice",
        "Just read twice: closing the recall gap for recurrent language models",
    ),
    ("reorder", "attention anymore", "Attention Is Not All You Need Anymore"),
    ("acronym", "s4 survey", "A Survey on Structured State Space Sequence (S4) Models"),
    (
        "acronym",
        "dbs decoding",
        "Diverse Beam Search: Decoding Diverse Solutions from Neural Sequence Models",
    ),
    ("acronym", "knn lm", "KNN-LM Does Not Improve Open-ended Text Generation"),
    (
        "acronym",
        "copy spec",
        "CopySpec: Accelerating LLMs with Speculative Copy-and-Paste Without Compromising Quality",
    ),
    (
        "acronym",
        "lasp",
        "LASP-2: Rethinking Sequence Parallelism for Linear Attention and Its Hybrid",
    ),
    ("abstract", "cooking recipes", "A Named Entity Based Approach to Model Recipes"),
    ("abstract", "fair use copyright", "Copyright Traps for Large Language Models"),
    (
        "abstract",
        "homopolymers dna",
        "LOCO Codes Can Correct as Well: Error-Correction Constrained Coding for DNA Data Storage",
    ),
    (
        "abstract",
        "rejection sampling",
        "Fast Controlled Generation from Language Models with Adaptive Weighted Rejection Sampling",
    ),
    (
        "abstract",
        "flash butterfly",
        "Simple Hardware-Efficient Long Convolutions for Sequence Modeling",
    ),
    (
        "abstract",
        "trillion tokens corpus",
        "Dolma: an Open Corpus of Three Trillion Tokens for Language Model Pretraining Research",
    ),
    (
        "abstract",
        "induction heads repeated",
        "Scaling Laws and Interpretability of Learning from Repeated Data",
    ),
    ("abstract", "ingredients utensils", "A Named Entity Based Approach to Model Recipes"),
    (
        "prefix",
        "struct state",
        "Efficiently Modeling Long Sequences with Structured State Spaces",
    ),
    (
        "prefix",
        "hungry hip",
        "Hungry Hungry Hippos: Towards Language Modeling with State Space Models",
    ),
    (
        "prefix",
        "infini gram",
        "Infini-gram mini: Exact n-gram Search at the Internet Scale with FM-Index",
    ),
    ("prefix", "slimpaj", "SlimPajama-DC: Understanding Data Combinations for LLM Training"),
    ("prefix", "neurally compr", "Training LLMs over Neurally Compressed Text"),
    ("prefix", "block quant", "Accurate Block Quantization in LLMs with Outliers"),
    ("topic", "thinner kv cache", "ThinK: Thinner Key Cache by Query-Driven Pruning"),
    (
        "topic",
        "protein fitness",
        "Tranception: protein fitness prediction with autoregressive transformers and inference-time retrieval",
    ),
    (
        "topic",
        "genomic foundation model",
        "GENERator: A Long-Context Generative Genomic Foundation Model",
    ),
    ("topic", "mixture of memories", "MoM: Linear Sequence Modeling with Mixture-of-Memories"),
    ("topic", "dna classification compression", "DNA Sequence Classification with Compressors"),
)
