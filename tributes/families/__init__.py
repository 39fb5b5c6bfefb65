"""What a family does with its memorial as a whole: download everything, erase everything."""
