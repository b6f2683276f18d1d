"""One small reader per document format; each turns decoded text into candidate blocks.

A reader only says where the blocks are and which characters are markup; deciding which blocks
are article body (and not boilerplate) is `loaders.boilerplate`'s job, the same for all formats.
"""
