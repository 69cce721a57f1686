#!/bin/sh
# Pricing script for Providers/a100-scripted.yaml: reads the order as JSON on stdin, prints a price
# in credits. This one charges 1.20 credits per GPU-hour of the order's deadline, at least 0.05.
python3 -c '
import json, sys
order = json.load(sys.stdin)
gpus = max(order.get("gpuUnits", 0), 1)
hours = order.get("deadlineSeconds", 3600) / 3600
print("%.6f" % max(0.05, 1.20 * gpus * hours))
'
