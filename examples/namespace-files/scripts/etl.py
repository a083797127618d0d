print("extract, transform, load")
