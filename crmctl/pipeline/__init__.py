"""The sales process: the stages and their gates, and moving projects through them."""
