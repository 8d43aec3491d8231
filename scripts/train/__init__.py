"""The PyTorch side of rnnpool-cam (developers only): run its scripts as modules from the
repository root, e.g. `python -m scripts.train.train ...` (README.md here)."""
