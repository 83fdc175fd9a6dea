"""Reports that leave the workbench: Excel tables 4 and 5, rankings and charts, printed summaries."""
