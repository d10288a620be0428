# virtfleet's libvirt addon, built against Debian's libvirt-dev (pkg-config) and the machine's
# own Node headers: node-gyp rebuild --nodedir=/usr (scripts/build-native.sh does it).
{
  "targets": [
    {
      "target_name": "virtfleet_libvirt",
      "sources": ["virtfleet_libvirt.cc"],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include\")",
        "<!@(pkg-config --cflags-only-I libvirt | sed 's/-I//g')"
      ],
      "defines": ["NAPI_CPP_EXCEPTIONS", "NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "libraries": ["<!@(pkg-config --libs libvirt)", "-lpthread"]
    }
  ]
}
