"""From files to articles: the corpus folder, decoding, one reader per format, paragraphs,
scraping noise and metadata."""
