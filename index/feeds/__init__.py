"""Feed subscriptions and `newsreader fetch`: new entries downloaded into the corpus."""
