"""Photos: the Pillow pipeline that cleans every upload, storing renditions, the upload field."""
