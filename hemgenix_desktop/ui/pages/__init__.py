"""The wizard's pages, one module each, in the order the operator meets them."""
