#!/usr/bin/env python
from jigsaw.cli import main

main()
