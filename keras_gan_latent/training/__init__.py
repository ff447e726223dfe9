"""A run: the settings every run has, the training loop and what it writes.

config: how settings are declared and checked, and the settings every run has
(imports no TensorFlow; `experiments.config.TrainConfig` puts them together).
run: a config and its recipe -> a built run under its strategy and precision
(`prepare`, `build_setup`). loop: setup -> `GAN.fit` -> export (`run`,
`Setup`, `RunResult`, `steps_dataset`, `plan_segments`). callbacks: TensorBoard
summaries and the animation. checkpoints: checkpoints, resume, write
failures. distribute: strategies, op determinism, mixed precision. export:
SavedModel export and loading; export_files: what an export folder holds, read
without TensorFlow.

Importing this package imports none of its modules.
"""
