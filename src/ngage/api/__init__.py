"""HTTP transport: the nGage API routes, downloads, pages and their error mapping."""
