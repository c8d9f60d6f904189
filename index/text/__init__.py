"""Text analysis: words and their folding, the word lists, the Indonesian-aware analyzer,
and the analysed tokens that passage alignment and shingling use."""
