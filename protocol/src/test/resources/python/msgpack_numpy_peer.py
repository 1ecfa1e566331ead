"""A Python peer that speaks the wire's tensors through Debian's msgpack-numpy, as a user's script would.

decode FILE: prints a line per tensor of the message, as msgpack_numpy.decode gave it: field, dtype, shape, values.
encode FILE: writes a forward message whose tensor msgpack_numpy.encode packed.
"""
import sys

import msgpack
import msgpack_numpy
import numpy as np


def decode(path):
    with open(path, "rb") as f:
        message = msgpack.unpackb(f.read(), object_hook=msgpack_numpy.decode)
    for key, value in message.items():
        if key in ("x", "dy", "labels"):
            if not isinstance(value, np.ndarray):
                sys.exit("field %s decoded as %s, not an array" % (key, type(value).__name__))
            print(key, value.dtype.str, ",".join(map(str, value.shape)), ",".join(map(repr, value.ravel().tolist())))


def encode(path):
    x = (np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3)
    message = {"v": 1, "type": "forward", "job": "py", "term": 2, "iteration": 7, "x": x}
    with open(path, "wb") as f:
        f.write(msgpack.packb(message, default=msgpack_numpy.encode))


if __name__ == "__main__":
    {"decode": decode, "encode": encode}[sys.argv[1]](sys.argv[2])
