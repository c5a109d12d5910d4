"""make explorer: the latent explorer, one offline page."""
