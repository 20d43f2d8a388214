"""Where Proton is served: moto matches these against every request URL."""

from .responses import ProtonResponse

url_bases = [r"https?://proton\.(.+)\.amazonaws\.com"]

url_paths = {"{0}/$": ProtonResponse.dispatch}
