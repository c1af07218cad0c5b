"""Small pieces every layer may use: the one HTML escaper, the palette, asyncio helpers."""
