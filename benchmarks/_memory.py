"""Peak memory of the current process image, shared by the benchmark scripts."""

import resource
from pathlib import Path


def peak_rss_kb() -> int:
    """VmHWM of this process image (ru_maxrss would carry the forking parent's peak across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
