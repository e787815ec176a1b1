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
# Kind "name": the paper's own method or model name as people type it (split or
# joined, lower case, the start of it, plus a word of the title), see SEED_NAMES.
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

# (typed, expected title): names of seed papers typed as people remember them. At
# 100,000 papers many of these names also appear in other (synthetic) titles: the
# paper that has the name must come first, ahead of those that mention it.
SEED_NAMES: tuple[tuple[str, str], ...] = (
    (
        "copyspec",
        "CopySpec: Accelerating LLMs with Speculative Copy-and-Paste Without Compromising Quality",
    ),
    ("lasp 2", "LASP-2: Rethinking Sequence Parallelism for Linear Attention and Its Hybrid"),
    (
        "m4le",
        "M4LE: A Multi-Ability Multi-Range Multi-Task Multi-Domain Long-Context Evaluation Benchmark for Large Language Models",
    ),
    (
        "infllm",
        "InfLLM: Unveiling the Intrinsic Capacity of LLMs for Understanding Extremely Long Sequences with Training-Free Memory",
    ),
    (
        "inf llm",
        "InfLLM: Unveiling the Intrinsic Capacity of LLMs for Understanding Extremely Long Sequences with Training-Free Memory",
    ),
    ("mr t5 byte", "MrT5: Dynamic Token Merging for Efficient Byte-level Language Models"),
    ("mrt5", "MrT5: Dynamic Token Merging for Efficient Byte-level Language Models"),
    (
        "lm infinite",
        "LM-Infinite: Simple On-the-Fly Length Generalization for Large Language Models",
    ),
    (
        "lminfinite",
        "LM-Infinite: Simple On-the-Fly Length Generalization for Large Language Models",
    ),
    ("slim pajama", "SlimPajama-DC: Understanding Data Combinations for LLM Training"),
    (
        "infinigram",
        "Infini-gram mini: Exact n-gram Search at the Internet Scale with FM-Index",
    ),
    (
        "ffn skip llm",
        "FFN-SkipLLM: A Hidden Gem for Autoregressive Decoding with Adaptive Feed Forward Skipping",
    ),
    (
        "skipllm",
        "FFN-SkipLLM: A Hidden Gem for Autoregressive Decoding with Adaptive Feed Forward Skipping",
    ),
    (
        "mamba360",
        "Mamba-360: Survey of State Space Models as Transformer Alternative for Long Sequence Modelling: Methods, Applications, and Challenges",
    ),
    (
        "ulorl",
        "UloRL:An Ultra-Long Output Reinforcement Learning Approach for Advancing Large Language Models' Reasoning Abilities",
    ),
    (
        "ulo rl",
        "UloRL:An Ultra-Long Output Reinforcement Learning Approach for Advancing Large Language Models' Reasoning Abilities",
    ),
    ("think key cache", "ThinK: Thinner Key Cache by Query-Driven Pruning"),
    ("mom memories", "MoM: Linear Sequence Modeling with Mixture-of-Memories"),
    ("generator genomic", "GENERator: A Long-Context Generative Genomic Foundation Model"),
    (
        "flowcut",
        "FlowCut: Rethinking Redundancy via Information Flow for Efficient Vision-Language Models",
    ),
    (
        "flow cut",
        "FlowCut: Rethinking Redundancy via Information Flow for Efficient Vision-Language Models",
    ),
    (
        "tranception",
        "Tranception: protein fitness prediction with autoregressive transformers and inference-time retrieval",
    ),
    (
        "cache craft",
        "Cache-Craft: Managing Chunk-Caches for Efficient Retrieval-Augmented Generation",
    ),
    ("timellm", "Time-LLM: Time Series Forecasting by Reprogramming Large Language Models"),
    (
        "freeson",
        "FREESON: Retriever-Free Retrieval-Augmented Reasoning via Corpus-Traversing MCTS",
    ),
    (
        "sequencematch",
        "SequenceMatch: Imitation Learning for Autoregressive Sequence Modelling with Backtracking",
    ),
    ("rank gen", "RankGen: Improving Text Generation with Large Ranking Models"),
    (
        "longvq",
        "LongVQ: Long Sequence Modeling with Vector Quantization on Structured Memory",
    ),
    (
        "irepair",
        "IRepair: An Intent-Aware Approach to Repair Data-Driven Errors in Large Language Models",
    ),
    (
        "gnn coder",
        "GNN-Coder: Boosting Semantic Code Retrieval with Combined GNNs and Transformer",
    ),
    (
        "auto times",
        "AutoTimes: Autoregressive Time Series Forecasters via Large Language Models",
    ),
    (
        "bio xlstm",
        "Bio-xLSTM: Generative modeling, representation and in-context learning of biological and chemical sequences",
    ),
    ("plstm", "pLSTM: parallelizable Linear Source Transition Mark networks"),
    (
        "ernie gram",
        "ERNIE-Gram: Pre-Training with Explicitly N-Gram Masked Language Modeling for Natural Language Understanding",
    ),
    (
        "hydra bidirectional",
        "Hydra: Bidirectional State Space Models Through Generalized Matrix Mixers",
    ),
    ("atlas memoriz", "ATLAS: Learning to Optimally Memorize the Context at Test Time"),
    (
        "dolma corpus",
        "Dolma: an Open Corpus of Three Trillion Tokens for Language Model Pretraining Research",
    ),
    ("giraffe", "Giraffe: Adventures in Expanding Context Lengths in LLMs"),
    (
        "turbo plug",
        "Turbo: Informativity-Driven Acceleration Plug-In for Vision-Language Large Models",
    ),
    (
        "stuffed mamba",
        "Stuffed Mamba: State Collapse and State Capacity of RNN-Based Long-Context Modeling",
    ),
)

SEED_QUALITY_QUERIES += tuple(("name", typed, title) for typed, title in SEED_NAMES)
