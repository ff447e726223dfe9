"""Pictures: plotting (frames, heat maps, GIFs), views (what the TensorBoard
summaries show of a target: `ScatterView`, `GridView`), latent_maps (where the
latent space lands in sample space) and digits (MNIST digit grids and class
histograms)."""
