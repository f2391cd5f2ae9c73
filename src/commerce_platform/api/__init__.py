"""HTTP apps (one per HTTP service) and their Lambda adapters. Import the module you need."""
