"""An iteration as code to run elsewhere: a NumPy script, a PyTorch script and a notebook."""
