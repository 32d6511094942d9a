#!/usr/bin/env python3
"""Writes a one-layer image of a directory as a `docker save` archive (what `ctr images import`
reads): python3 oci-archive.py <rootfs> <name:tag> <entrypoint> <out.tar>. No image can be pulled
here, and the pause image needs nothing but its one static binary."""
import hashlib, io, json, os, sys, tarfile

rootfs, name, entrypoint, out = sys.argv[1:5]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    for base, dirs, files in sorted(os.walk(rootfs)):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(base, f)
            info = t.gettarinfo(path, os.path.relpath(path, rootfs))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            with open(path, "rb") as fh:
                t.addfile(info, fh)
layer_bytes = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": [entrypoint], "User": "65535:65535"},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
}, sort_keys=True).encode()
manifest = json.dumps([{"Config": "config.json", "RepoTags": [name], "Layers": ["layer.tar"]}]).encode()
with tarfile.open(out, "w") as t:
    for fname, data in (("manifest.json", manifest), ("config.json", config), ("layer.tar", layer_bytes)):
        info = tarfile.TarInfo(fname)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
