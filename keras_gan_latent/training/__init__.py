"""A run: its settings, the training loop and what it writes.

config: `TrainConfig` and its setting declarations (imports no TensorFlow).
run: a config and its recipe -> a built run under its strategy and precision
(`prepare`, `build_setup`). loop: setup -> `GAN.fit` -> export (`run`,
`Setup`, `RunResult`, `steps_dataset`, `plan_segments`). callbacks: TensorBoard
summaries and the animation. checkpoints: checkpoints, resume, write
failures. distribute: strategies, op determinism, mixed precision. export:
SavedModel export and loading; export_files: what an export folder holds, read
without TensorFlow.

Importing this package imports none of its modules.
"""
