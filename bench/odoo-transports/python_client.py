"""Reads a model page by page with Python's standard xmlrpc.client, the way a data engineer's script would.

Prints one JSON line: rows read, wall seconds and CPU seconds of this process for the paging loop.
"""
import json
import sys
import time
import xmlrpc.client

url, db, user, password, model, page_size, fields = sys.argv[1:8]
page_size = int(page_size)
fields = fields.split(",")

common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
uid = common.authenticate(db, user, password, {})
objects = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

rows = 0
after_id = 0
started_wall, started_cpu = time.perf_counter(), time.process_time()
while True:
    page = objects.execute_kw(
        db, uid, password, model, "search_read", [[["id", ">", after_id]]],
        {"fields": fields, "order": "id asc", "limit": page_size, "context": {"active_test": False}},
    )
    if not page:
        break
    rows += len(page)
    after_id = page[-1]["id"]
print(json.dumps({"rows": rows, "wall": time.perf_counter() - started_wall, "cpu": time.process_time() - started_cpu}))
