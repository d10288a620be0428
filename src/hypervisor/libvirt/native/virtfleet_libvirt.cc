// virtfleet's own libvirt addon: the calls @unraid/libvirt lacks (migration with job progress and
// abort, state + reason, stats, free memory, capabilities, reboot, shutdown with a chosen mode,
// liveness/keepalive, versions, lifecycle events) with real libvirt error codes.
//
// Threading model
//  - Every call that talks to a connection runs off the JS thread: short calls on the libuv pool
//    (PoolCall), migrations on a dedicated thread each (ThreadCall) so a long migration never
//    starves the pool that jobInfo()/abortJob() need while it runs.
//  - Each queued call holds its own reference on the virConnectPtr (virConnectRef), so close()
//    never frees a connection under a running call. virConnectPtr is thread-safe.
//  - libvirt errors are thread-local: they are read in the worker thread right after the failing
//    call (CaptureLastError) and only turned into JS errors on the JS thread.
//  - One native thread runs libvirt's default event loop (keepalive, close callback, domain
//    events). Events reach JS through unref'd ThreadSafeFunctions, so they never keep Node alive.
#include <napi.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Symbolic names for libvirt's enums. The macros stringify the C identifier itself, so every name
// is exactly libvirt's and the compiler rejects a misspelt one.

struct NamedValue {
  int value;
  const char* name;
};
using NameTable = std::vector<NamedValue>;

#define VF_ENTRY(symbol) NamedValue{symbol, #symbol}
#define VF_SUFFIX(prefix, suffix) NamedValue{prefix##suffix, #suffix}

const NameTable kErrorCodes = {
    VF_ENTRY(VIR_ERR_OK), VF_ENTRY(VIR_ERR_INTERNAL_ERROR), VF_ENTRY(VIR_ERR_NO_MEMORY),
    VF_ENTRY(VIR_ERR_NO_SUPPORT), VF_ENTRY(VIR_ERR_UNKNOWN_HOST), VF_ENTRY(VIR_ERR_NO_CONNECT),
    VF_ENTRY(VIR_ERR_INVALID_CONN), VF_ENTRY(VIR_ERR_INVALID_DOMAIN), VF_ENTRY(VIR_ERR_INVALID_ARG),
    VF_ENTRY(VIR_ERR_OPERATION_FAILED), VF_ENTRY(VIR_ERR_GET_FAILED), VF_ENTRY(VIR_ERR_POST_FAILED),
    VF_ENTRY(VIR_ERR_HTTP_ERROR), VF_ENTRY(VIR_ERR_SEXPR_SERIAL), VF_ENTRY(VIR_ERR_NO_XEN),
    VF_ENTRY(VIR_ERR_XEN_CALL), VF_ENTRY(VIR_ERR_OS_TYPE), VF_ENTRY(VIR_ERR_NO_KERNEL),
    VF_ENTRY(VIR_ERR_NO_ROOT), VF_ENTRY(VIR_ERR_NO_SOURCE), VF_ENTRY(VIR_ERR_NO_TARGET),
    VF_ENTRY(VIR_ERR_NO_NAME), VF_ENTRY(VIR_ERR_NO_OS), VF_ENTRY(VIR_ERR_NO_DEVICE),
    VF_ENTRY(VIR_ERR_NO_XENSTORE), VF_ENTRY(VIR_ERR_DRIVER_FULL), VF_ENTRY(VIR_ERR_CALL_FAILED),
    VF_ENTRY(VIR_ERR_XML_ERROR), VF_ENTRY(VIR_ERR_DOM_EXIST), VF_ENTRY(VIR_ERR_OPERATION_DENIED),
    VF_ENTRY(VIR_ERR_OPEN_FAILED), VF_ENTRY(VIR_ERR_READ_FAILED), VF_ENTRY(VIR_ERR_PARSE_FAILED),
    VF_ENTRY(VIR_ERR_CONF_SYNTAX), VF_ENTRY(VIR_ERR_WRITE_FAILED), VF_ENTRY(VIR_ERR_XML_DETAIL),
    VF_ENTRY(VIR_ERR_INVALID_NETWORK), VF_ENTRY(VIR_ERR_NETWORK_EXIST), VF_ENTRY(VIR_ERR_SYSTEM_ERROR),
    VF_ENTRY(VIR_ERR_RPC), VF_ENTRY(VIR_ERR_GNUTLS_ERROR), VF_ENTRY(VIR_ERR_NO_DOMAIN),
    VF_ENTRY(VIR_ERR_NO_NETWORK), VF_ENTRY(VIR_ERR_INVALID_MAC), VF_ENTRY(VIR_ERR_AUTH_FAILED),
    VF_ENTRY(VIR_ERR_INVALID_STORAGE_POOL), VF_ENTRY(VIR_ERR_INVALID_STORAGE_VOL),
    VF_ENTRY(VIR_ERR_NO_STORAGE_POOL), VF_ENTRY(VIR_ERR_NO_STORAGE_VOL),
    VF_ENTRY(VIR_ERR_INVALID_NODE_DEVICE), VF_ENTRY(VIR_ERR_NO_NODE_DEVICE),
    VF_ENTRY(VIR_ERR_NO_SECURITY_MODEL), VF_ENTRY(VIR_ERR_OPERATION_INVALID),
    VF_ENTRY(VIR_ERR_NO_INTERFACE), VF_ENTRY(VIR_ERR_INVALID_INTERFACE),
    VF_ENTRY(VIR_ERR_MULTIPLE_INTERFACES), VF_ENTRY(VIR_ERR_INVALID_NWFILTER),
    VF_ENTRY(VIR_ERR_NO_NWFILTER), VF_ENTRY(VIR_ERR_BUILD_FIREWALL), VF_ENTRY(VIR_ERR_INVALID_SECRET),
    VF_ENTRY(VIR_ERR_NO_SECRET), VF_ENTRY(VIR_ERR_CONFIG_UNSUPPORTED), VF_ENTRY(VIR_ERR_OPERATION_TIMEOUT),
    VF_ENTRY(VIR_ERR_MIGRATE_PERSIST_FAILED), VF_ENTRY(VIR_ERR_HOOK_SCRIPT_FAILED),
    VF_ENTRY(VIR_ERR_INVALID_DOMAIN_SNAPSHOT), VF_ENTRY(VIR_ERR_NO_DOMAIN_SNAPSHOT),
    VF_ENTRY(VIR_ERR_INVALID_STREAM), VF_ENTRY(VIR_ERR_ARGUMENT_UNSUPPORTED),
    VF_ENTRY(VIR_ERR_STORAGE_PROBE_FAILED), VF_ENTRY(VIR_ERR_STORAGE_POOL_BUILT),
    VF_ENTRY(VIR_ERR_SNAPSHOT_REVERT_RISKY), VF_ENTRY(VIR_ERR_OPERATION_ABORTED),
    VF_ENTRY(VIR_ERR_AUTH_CANCELLED), VF_ENTRY(VIR_ERR_NO_DOMAIN_METADATA), VF_ENTRY(VIR_ERR_MIGRATE_UNSAFE),
    VF_ENTRY(VIR_ERR_OVERFLOW), VF_ENTRY(VIR_ERR_BLOCK_COPY_ACTIVE), VF_ENTRY(VIR_ERR_OPERATION_UNSUPPORTED),
    VF_ENTRY(VIR_ERR_SSH), VF_ENTRY(VIR_ERR_AGENT_UNRESPONSIVE), VF_ENTRY(VIR_ERR_RESOURCE_BUSY),
    VF_ENTRY(VIR_ERR_ACCESS_DENIED), VF_ENTRY(VIR_ERR_DBUS_SERVICE), VF_ENTRY(VIR_ERR_STORAGE_VOL_EXIST),
    VF_ENTRY(VIR_ERR_CPU_INCOMPATIBLE), VF_ENTRY(VIR_ERR_XML_INVALID_SCHEMA),
    VF_ENTRY(VIR_ERR_MIGRATE_FINISH_OK), VF_ENTRY(VIR_ERR_AUTH_UNAVAILABLE), VF_ENTRY(VIR_ERR_NO_SERVER),
    VF_ENTRY(VIR_ERR_NO_CLIENT), VF_ENTRY(VIR_ERR_AGENT_UNSYNCED), VF_ENTRY(VIR_ERR_LIBSSH),
    VF_ENTRY(VIR_ERR_DEVICE_MISSING), VF_ENTRY(VIR_ERR_INVALID_NWFILTER_BINDING),
    VF_ENTRY(VIR_ERR_NO_NWFILTER_BINDING), VF_ENTRY(VIR_ERR_INVALID_DOMAIN_CHECKPOINT),
    VF_ENTRY(VIR_ERR_NO_DOMAIN_CHECKPOINT), VF_ENTRY(VIR_ERR_NO_DOMAIN_BACKUP),
    VF_ENTRY(VIR_ERR_INVALID_NETWORK_PORT), VF_ENTRY(VIR_ERR_NETWORK_PORT_EXIST),
    VF_ENTRY(VIR_ERR_NO_NETWORK_PORT), VF_ENTRY(VIR_ERR_NO_HOSTNAME),
    VF_ENTRY(VIR_ERR_CHECKPOINT_INCONSISTENT), VF_ENTRY(VIR_ERR_MULTIPLE_DOMAINS),
};

const NameTable kErrorDomains = {
    VF_ENTRY(VIR_FROM_NONE), VF_ENTRY(VIR_FROM_XEN), VF_ENTRY(VIR_FROM_XEND), VF_ENTRY(VIR_FROM_XENSTORE),
    VF_ENTRY(VIR_FROM_SEXPR), VF_ENTRY(VIR_FROM_XML), VF_ENTRY(VIR_FROM_DOM), VF_ENTRY(VIR_FROM_RPC),
    VF_ENTRY(VIR_FROM_PROXY), VF_ENTRY(VIR_FROM_CONF), VF_ENTRY(VIR_FROM_QEMU), VF_ENTRY(VIR_FROM_NET),
    VF_ENTRY(VIR_FROM_TEST), VF_ENTRY(VIR_FROM_REMOTE), VF_ENTRY(VIR_FROM_OPENVZ), VF_ENTRY(VIR_FROM_XENXM),
    VF_ENTRY(VIR_FROM_STATS_LINUX), VF_ENTRY(VIR_FROM_LXC), VF_ENTRY(VIR_FROM_STORAGE),
    VF_ENTRY(VIR_FROM_NETWORK), VF_ENTRY(VIR_FROM_DOMAIN), VF_ENTRY(VIR_FROM_UML), VF_ENTRY(VIR_FROM_NODEDEV),
    VF_ENTRY(VIR_FROM_XEN_INOTIFY), VF_ENTRY(VIR_FROM_SECURITY), VF_ENTRY(VIR_FROM_VBOX),
    VF_ENTRY(VIR_FROM_INTERFACE), VF_ENTRY(VIR_FROM_ONE), VF_ENTRY(VIR_FROM_ESX), VF_ENTRY(VIR_FROM_PHYP),
    VF_ENTRY(VIR_FROM_SECRET), VF_ENTRY(VIR_FROM_CPU), VF_ENTRY(VIR_FROM_XENAPI), VF_ENTRY(VIR_FROM_NWFILTER),
    VF_ENTRY(VIR_FROM_HOOK), VF_ENTRY(VIR_FROM_DOMAIN_SNAPSHOT), VF_ENTRY(VIR_FROM_AUDIT),
    VF_ENTRY(VIR_FROM_SYSINFO), VF_ENTRY(VIR_FROM_STREAMS), VF_ENTRY(VIR_FROM_VMWARE), VF_ENTRY(VIR_FROM_EVENT),
    VF_ENTRY(VIR_FROM_LIBXL), VF_ENTRY(VIR_FROM_LOCKING), VF_ENTRY(VIR_FROM_HYPERV),
    VF_ENTRY(VIR_FROM_CAPABILITIES), VF_ENTRY(VIR_FROM_URI), VF_ENTRY(VIR_FROM_AUTH), VF_ENTRY(VIR_FROM_DBUS),
    VF_ENTRY(VIR_FROM_PARALLELS), VF_ENTRY(VIR_FROM_DEVICE), VF_ENTRY(VIR_FROM_SSH), VF_ENTRY(VIR_FROM_LOCKSPACE),
    VF_ENTRY(VIR_FROM_INITCTL), VF_ENTRY(VIR_FROM_IDENTITY), VF_ENTRY(VIR_FROM_CGROUP), VF_ENTRY(VIR_FROM_ACCESS),
    VF_ENTRY(VIR_FROM_SYSTEMD), VF_ENTRY(VIR_FROM_BHYVE), VF_ENTRY(VIR_FROM_CRYPTO), VF_ENTRY(VIR_FROM_FIREWALL),
    VF_ENTRY(VIR_FROM_POLKIT), VF_ENTRY(VIR_FROM_THREAD), VF_ENTRY(VIR_FROM_ADMIN), VF_ENTRY(VIR_FROM_LOGGING),
    VF_ENTRY(VIR_FROM_XENXL), VF_ENTRY(VIR_FROM_PERF), VF_ENTRY(VIR_FROM_LIBSSH), VF_ENTRY(VIR_FROM_RESCTRL),
    VF_ENTRY(VIR_FROM_FIREWALLD), VF_ENTRY(VIR_FROM_DOMAIN_CHECKPOINT), VF_ENTRY(VIR_FROM_TPM),
    VF_ENTRY(VIR_FROM_BPF), VF_ENTRY(VIR_FROM_CH),
};

const NameTable kDomainStates = {
    VF_SUFFIX(VIR_DOMAIN_, NOSTATE), VF_SUFFIX(VIR_DOMAIN_, RUNNING),  VF_SUFFIX(VIR_DOMAIN_, BLOCKED),
    VF_SUFFIX(VIR_DOMAIN_, PAUSED),  VF_SUFFIX(VIR_DOMAIN_, SHUTDOWN), VF_SUFFIX(VIR_DOMAIN_, SHUTOFF),
    VF_SUFFIX(VIR_DOMAIN_, CRASHED), VF_SUFFIX(VIR_DOMAIN_, PMSUSPENDED),
};

// Each state has its own reason enum (virDomainRunningReason, virDomainShutoffReason, ...).
const std::map<int, NameTable> kStateReasons = {
    {VIR_DOMAIN_NOSTATE, {VF_SUFFIX(VIR_DOMAIN_NOSTATE_, UNKNOWN)}},
    {VIR_DOMAIN_RUNNING,
     {VF_SUFFIX(VIR_DOMAIN_RUNNING_, UNKNOWN), VF_SUFFIX(VIR_DOMAIN_RUNNING_, BOOTED),
      VF_SUFFIX(VIR_DOMAIN_RUNNING_, MIGRATED), VF_SUFFIX(VIR_DOMAIN_RUNNING_, RESTORED),
      VF_SUFFIX(VIR_DOMAIN_RUNNING_, FROM_SNAPSHOT), VF_SUFFIX(VIR_DOMAIN_RUNNING_, UNPAUSED),
      VF_SUFFIX(VIR_DOMAIN_RUNNING_, MIGRATION_CANCELED), VF_SUFFIX(VIR_DOMAIN_RUNNING_, SAVE_CANCELED),
      VF_SUFFIX(VIR_DOMAIN_RUNNING_, WAKEUP), VF_SUFFIX(VIR_DOMAIN_RUNNING_, CRASHED),
      VF_SUFFIX(VIR_DOMAIN_RUNNING_, POSTCOPY), VF_SUFFIX(VIR_DOMAIN_RUNNING_, POSTCOPY_FAILED)}},
    {VIR_DOMAIN_BLOCKED, {VF_SUFFIX(VIR_DOMAIN_BLOCKED_, UNKNOWN)}},
    {VIR_DOMAIN_PAUSED,
     {VF_SUFFIX(VIR_DOMAIN_PAUSED_, UNKNOWN), VF_SUFFIX(VIR_DOMAIN_PAUSED_, USER),
      VF_SUFFIX(VIR_DOMAIN_PAUSED_, MIGRATION), VF_SUFFIX(VIR_DOMAIN_PAUSED_, SAVE),
      VF_SUFFIX(VIR_DOMAIN_PAUSED_, DUMP), VF_SUFFIX(VIR_DOMAIN_PAUSED_, IOERROR),
      VF_SUFFIX(VIR_DOMAIN_PAUSED_, WATCHDOG), VF_SUFFIX(VIR_DOMAIN_PAUSED_, FROM_SNAPSHOT),
      VF_SUFFIX(VIR_DOMAIN_PAUSED_, SHUTTING_DOWN), VF_SUFFIX(VIR_DOMAIN_PAUSED_, SNAPSHOT),
      VF_SUFFIX(VIR_DOMAIN_PAUSED_, CRASHED), VF_SUFFIX(VIR_DOMAIN_PAUSED_, STARTING_UP),
      VF_SUFFIX(VIR_DOMAIN_PAUSED_, POSTCOPY), VF_SUFFIX(VIR_DOMAIN_PAUSED_, POSTCOPY_FAILED)}},
    {VIR_DOMAIN_SHUTDOWN, {VF_SUFFIX(VIR_DOMAIN_SHUTDOWN_, UNKNOWN), VF_SUFFIX(VIR_DOMAIN_SHUTDOWN_, USER)}},
    {VIR_DOMAIN_SHUTOFF,
     {VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, UNKNOWN), VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, SHUTDOWN),
      VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, DESTROYED), VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, CRASHED),
      VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, MIGRATED), VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, SAVED),
      VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, FAILED), VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, FROM_SNAPSHOT),
      VF_SUFFIX(VIR_DOMAIN_SHUTOFF_, DAEMON)}},
    {VIR_DOMAIN_CRASHED, {VF_SUFFIX(VIR_DOMAIN_CRASHED_, UNKNOWN), VF_SUFFIX(VIR_DOMAIN_CRASHED_, PANICKED)}},
    {VIR_DOMAIN_PMSUSPENDED, {VF_SUFFIX(VIR_DOMAIN_PMSUSPENDED_, UNKNOWN)}},
};

const NameTable kLifecycleEvents = {
    VF_SUFFIX(VIR_DOMAIN_EVENT_, DEFINED),   VF_SUFFIX(VIR_DOMAIN_EVENT_, UNDEFINED),
    VF_SUFFIX(VIR_DOMAIN_EVENT_, STARTED),   VF_SUFFIX(VIR_DOMAIN_EVENT_, SUSPENDED),
    VF_SUFFIX(VIR_DOMAIN_EVENT_, RESUMED),   VF_SUFFIX(VIR_DOMAIN_EVENT_, STOPPED),
    VF_SUFFIX(VIR_DOMAIN_EVENT_, SHUTDOWN),  VF_SUFFIX(VIR_DOMAIN_EVENT_, PMSUSPENDED),
    VF_SUFFIX(VIR_DOMAIN_EVENT_, CRASHED),
};

// Each lifecycle event has its own detail enum (virDomainEventStartedDetailType, ...).
const std::map<int, NameTable> kLifecycleDetails = {
    {VIR_DOMAIN_EVENT_DEFINED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_DEFINED_, ADDED), VF_SUFFIX(VIR_DOMAIN_EVENT_DEFINED_, UPDATED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_DEFINED_, RENAMED), VF_SUFFIX(VIR_DOMAIN_EVENT_DEFINED_, FROM_SNAPSHOT)}},
    {VIR_DOMAIN_EVENT_UNDEFINED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_UNDEFINED_, REMOVED), VF_SUFFIX(VIR_DOMAIN_EVENT_UNDEFINED_, RENAMED)}},
    {VIR_DOMAIN_EVENT_STARTED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_STARTED_, BOOTED), VF_SUFFIX(VIR_DOMAIN_EVENT_STARTED_, MIGRATED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_STARTED_, RESTORED), VF_SUFFIX(VIR_DOMAIN_EVENT_STARTED_, FROM_SNAPSHOT),
      VF_SUFFIX(VIR_DOMAIN_EVENT_STARTED_, WAKEUP)}},
    {VIR_DOMAIN_EVENT_SUSPENDED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, PAUSED), VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, MIGRATED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, IOERROR), VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, WATCHDOG),
      VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, RESTORED), VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, FROM_SNAPSHOT),
      VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, API_ERROR), VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, POSTCOPY),
      VF_SUFFIX(VIR_DOMAIN_EVENT_SUSPENDED_, POSTCOPY_FAILED)}},
    {VIR_DOMAIN_EVENT_RESUMED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_RESUMED_, UNPAUSED), VF_SUFFIX(VIR_DOMAIN_EVENT_RESUMED_, MIGRATED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_RESUMED_, FROM_SNAPSHOT), VF_SUFFIX(VIR_DOMAIN_EVENT_RESUMED_, POSTCOPY),
      VF_SUFFIX(VIR_DOMAIN_EVENT_RESUMED_, POSTCOPY_FAILED)}},
    {VIR_DOMAIN_EVENT_STOPPED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, SHUTDOWN), VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, DESTROYED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, CRASHED), VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, MIGRATED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, SAVED), VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, FAILED),
      VF_SUFFIX(VIR_DOMAIN_EVENT_STOPPED_, FROM_SNAPSHOT)}},
    {VIR_DOMAIN_EVENT_SHUTDOWN,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_SHUTDOWN_, FINISHED), VF_SUFFIX(VIR_DOMAIN_EVENT_SHUTDOWN_, GUEST),
      VF_SUFFIX(VIR_DOMAIN_EVENT_SHUTDOWN_, HOST)}},
    {VIR_DOMAIN_EVENT_PMSUSPENDED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_PMSUSPENDED_, MEMORY), VF_SUFFIX(VIR_DOMAIN_EVENT_PMSUSPENDED_, DISK)}},
    {VIR_DOMAIN_EVENT_CRASHED,
     {VF_SUFFIX(VIR_DOMAIN_EVENT_CRASHED_, PANICKED), VF_SUFFIX(VIR_DOMAIN_EVENT_CRASHED_, CRASHLOADED)}},
};

const NameTable kJobTypes = {
    VF_SUFFIX(VIR_DOMAIN_JOB_, NONE),      VF_SUFFIX(VIR_DOMAIN_JOB_, BOUNDED), VF_SUFFIX(VIR_DOMAIN_JOB_, UNBOUNDED),
    VF_SUFFIX(VIR_DOMAIN_JOB_, COMPLETED), VF_SUFFIX(VIR_DOMAIN_JOB_, FAILED),  VF_SUFFIX(VIR_DOMAIN_JOB_, CANCELLED),
};

// virDomainShutdownFlagValues by the names our API uses ("default" is 0: the hypervisor chooses).
const NameTable kShutdownModes = {
    {VIR_DOMAIN_SHUTDOWN_DEFAULT, "default"},  {VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, "acpi"},
    {VIR_DOMAIN_SHUTDOWN_GUEST_AGENT, "agent"}, {VIR_DOMAIN_SHUTDOWN_INITCTL, "initctl"},
    {VIR_DOMAIN_SHUTDOWN_SIGNAL, "signal"},     {VIR_DOMAIN_SHUTDOWN_PARAVIRT, "paravirt"},
};

const NameTable kCloseReasons = {
    VF_SUFFIX(VIR_CONNECT_CLOSE_REASON_, ERROR), VF_SUFFIX(VIR_CONNECT_CLOSE_REASON_, EOF),
    VF_SUFFIX(VIR_CONNECT_CLOSE_REASON_, KEEPALIVE), VF_SUFFIX(VIR_CONNECT_CLOSE_REASON_, CLIENT),
};

/** The table's name for `value` as libvirt spells it, or `<fallback>_<value>` for a newer value. */
std::string ExactName(const NameTable& table, int value, const char* fallback) {
  for (const NamedValue& entry : table)
    if (entry.value == value) return entry.name;
  return std::string(fallback) + "_" + std::to_string(value);
}

/** The lowercase enum suffix ("booted", "from_snapshot"), or "unknown_<value>" for a newer value. */
std::string LowerName(const NameTable& table, int value) {
  std::string name = ExactName(table, value, "UNKNOWN");
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string LowerNameIn(const std::map<int, NameTable>& tables, int group, int value) {
  auto found = tables.find(group);
  return found == tables.end() ? "unknown_" + std::to_string(value) : LowerName(found->second, value);
}

// ---------------------------------------------------------------------------------------------
// Error capture (worker threads) and conversion (JS thread).

struct LibvirtError {
  int code = VIR_ERR_INTERNAL_ERROR;
  int domain = VIR_FROM_NONE;
  std::string message;
};

/** Thrown inside worker threads only; the call wrappers below catch it. */
struct LibvirtFailure {
  LibvirtError error;
};

/** Copy this thread's last libvirt error (libvirt keeps errors per thread) and clear it. */
LibvirtError CaptureLastError(const std::string& context) {
  virErrorPtr last = virGetLastError();
  if (last == nullptr || last->code == VIR_ERR_OK)
    return {VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, context + " failed without reporting a libvirt error"};
  LibvirtError captured{last->code, last->domain, last->message ? last->message : context + " failed"};
  virResetLastError();
  return captured;
}

[[noreturn]] void FailWithLastError(const std::string& context) { throw LibvirtFailure{CaptureLastError(context)}; }

template <typename T>
T* Check(T* result, const char* context) {
  if (result == nullptr) FailWithLastError(context);
  return result;
}

int Check(int result, const char* context) {
  if (result < 0) FailWithLastError(context);
  return result;
}

/** True when the failure of an optional call means "this driver cannot do that". */
bool LastErrorIsUnsupported() {
  virErrorPtr last = virGetLastError();
  return last != nullptr && (last->code == VIR_ERR_NO_SUPPORT || last->code == VIR_ERR_OPERATION_UNSUPPORTED ||
                             last->code == VIR_ERR_ARGUMENT_UNSUPPORTED);
}

Napi::Value ToJsError(Napi::Env env, const LibvirtError& error) {
  Napi::Error jsError = Napi::Error::New(env, error.message);
  jsError.Set("code", Napi::Number::New(env, error.code));
  jsError.Set("codeName", Napi::String::New(env, ExactName(kErrorCodes, error.code, "VIR_ERR_UNKNOWN")));
  jsError.Set("domain", Napi::Number::New(env, error.domain));
  jsError.Set("domainName", Napi::String::New(env, ExactName(kErrorDomains, error.domain, "VIR_FROM_UNKNOWN")));
  return jsError.Value();
}

const LibvirtError kClosedConnection{VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "the connection is not open (never opened or already closed)"};

void SilenceLibvirtError(void* /*userData*/, virErrorPtr /*error*/) {
  // Errors are read with virGetLastError() and reported as rejections; libvirt's default handler
  // would also print each of them to stderr.
}

// ---------------------------------------------------------------------------------------------
// RAII owners for what libvirt hands out.

struct DomainFree {
  void operator()(virDomainPtr domain) const { virDomainFree(domain); }
};
using DomainRef = std::unique_ptr<virDomain, DomainFree>;

struct ConnectClose {
  void operator()(virConnectPtr conn) const { virConnectClose(conn); }
};
using ConnectRef = std::unique_ptr<virConnect, ConnectClose>;

struct CFree {
  void operator()(char* text) const { free(text); }
};
using CString = std::unique_ptr<char, CFree>;

class TypedParams {
 public:
  TypedParams() = default;
  TypedParams(const TypedParams&) = delete;
  TypedParams& operator=(const TypedParams&) = delete;
  ~TypedParams() { virTypedParamsFree(params_, count_); }
  virTypedParameterPtr* out() { return &params_; }
  int* outCount() { return &count_; }
  virTypedParameterPtr get() const { return params_; }
  int count() const { return count_; }
  void AddULLong(const char* name, unsigned long long value) {
    Check(virTypedParamsAddULLong(&params_, &count_, &capacity_, name, value), "virTypedParamsAddULLong");
  }
  void AddString(const char* name, const std::string& value) {
    Check(virTypedParamsAddString(&params_, &count_, &capacity_, name, value.c_str()), "virTypedParamsAddString");
  }
  std::optional<unsigned long long> GetULLong(const char* name) const {
    unsigned long long value = 0;
    return virTypedParamsGetULLong(params_, count_, name, &value) == 1 ? std::optional(value) : std::nullopt;
  }

 private:
  virTypedParameterPtr params_ = nullptr;
  int count_ = 0;
  int capacity_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Domain lookup: a UUID-shaped string is tried as UUID first, then as a name.

bool LooksLikeUuid(const std::string& text) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (text.size() == 32) {
    for (char c : text)
      if (!hex(c)) return false;
    return true;
  }
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dashPosition = i == 8 || i == 13 || i == 18 || i == 23;
    if (dashPosition ? text[i] != '-' : !hex(text[i])) return false;
  }
  return true;
}

DomainRef LookupDomain(virConnectPtr conn, const std::string& nameOrUuid) {
  if (LooksLikeUuid(nameOrUuid)) {
    if (virDomainPtr byUuid = virDomainLookupByUUIDString(conn, nameOrUuid.c_str())) return DomainRef(byUuid);
    virErrorPtr last = virGetLastError();
    if (last == nullptr || last->code != VIR_ERR_NO_DOMAIN) FailWithLastError("virDomainLookupByUUIDString");
    virResetLastError();
  }
  return DomainRef(Check(virDomainLookupByName(conn, nameOrUuid.c_str()), "virDomainLookupByName"));
}

// ---------------------------------------------------------------------------------------------
// Calling JS from libvirt's threads.

/**
 * A JS function any thread may post to or release at any time. Node finalizes (frees) every
 * ThreadSafeFunction when it tears its environment down, even one still in use; so posts and the
 * release check a flag that the TSFN's finalizer sets, all under one mutex.
 */
class JsCallback {
 public:
  /** `keepsNodeAlive` false: a listener for events must not hold the process open. */
  static std::shared_ptr<JsCallback> Create(Napi::Env env, Napi::Function fn, const char* name, bool keepsNodeAlive) {
    std::shared_ptr<JsCallback> callback(new JsCallback());
    std::shared_ptr<Guard> guard = callback->guard_;
    callback->tsfn_ = Napi::ThreadSafeFunction::New(env, fn, name, 0, 1, [guard](Napi::Env) {
      std::lock_guard<std::mutex> lock(guard->mutex);
      guard->finalized = true;
    });
    if (!keepsNodeAlive) callback->tsfn_.Unref(env);
    return callback;
  }

  JsCallback(const JsCallback&) = delete;
  JsCallback& operator=(const JsCallback&) = delete;
  ~JsCallback() { Release(); }

  /** Queues deliver(env, fn, data) on the JS thread; deletes `data` when that is no longer possible. */
  template <typename Data, typename Deliver>
  void Post(Data* data, Deliver deliver) {
    std::lock_guard<std::mutex> lock(guard_->mutex);
    if (guard_->finalized || released_ || tsfn_.NonBlockingCall(data, deliver) != napi_ok) delete data;
  }

  void Release() {
    std::lock_guard<std::mutex> lock(guard_->mutex);
    if (guard_->finalized || released_) return;
    released_ = true;
    tsfn_.Release();
  }

 private:
  struct Guard {
    std::mutex mutex;
    bool finalized = false;
  };
  JsCallback() : guard_(std::make_shared<Guard>()) {}

  std::shared_ptr<Guard> guard_;
  Napi::ThreadSafeFunction tsfn_;
  bool released_ = false;
};

/** Calls `listener(args...)`; a throwing listener surfaces as uncaughtException, never as a C++ crash. */
void CallListener(Napi::Function listener, const std::initializer_list<napi_value>& args) {
  try {
    listener.Call(args);
  } catch (const Napi::Error& thrown) {
    thrown.ThrowAsJavaScriptException();
  }
}

// ---------------------------------------------------------------------------------------------
// Running libvirt calls off the JS thread.

template <typename Result>
using Work = std::function<Result(virConnectPtr)>;
template <typename Result>
using ToJs = std::function<Napi::Value(Napi::Env, const Result&)>;

struct Nothing {};
Napi::Value Undefined(Napi::Env env, const Nothing&) { return env.Undefined(); }

/** The result of one call, computed on a worker thread and settled on the JS thread. */
template <typename Result>
struct Outcome {
  std::optional<Result> value;
  LibvirtError error;

  /** Runs `work`, then drops the call's connection reference (on this worker thread: the last
   *  virConnectClose of a remote connection is a network round trip). */
  void Compute(const Work<Result>& work, virConnectPtr lease) {
    try {
      value = work(lease);
    } catch (const LibvirtFailure& failure) {
      error = failure.error;
    } catch (const std::exception& unexpected) {
      error = {VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, unexpected.what()};
    }
    if (lease != nullptr) virConnectClose(lease);
  }

  void Settle(Napi::Env env, Napi::Promise::Deferred& deferred, const ToJs<Result>& toJs) {
    if (value)
      deferred.Resolve(toJs(env, *value));
    else
      deferred.Reject(ToJsError(env, error));
  }
};

/** A short call on the libuv pool. `lease` is a connection reference the call owns (or null). */
template <typename Result>
class PoolCall : public Napi::AsyncWorker {
 public:
  static Napi::Promise Start(Napi::Env env, virConnectPtr lease, Work<Result> work, ToJs<Result> toJs) {
    auto* call = new PoolCall(env, lease, std::move(work), std::move(toJs));
    Napi::Promise promise = call->deferred_.Promise();
    call->Queue();
    return promise;
  }

 protected:
  void Execute() override { outcome_.Compute(work_, lease_); }
  void OnOK() override { outcome_.Settle(Env(), deferred_, toJs_); }

 private:
  PoolCall(Napi::Env env, virConnectPtr lease, Work<Result> work, ToJs<Result> toJs)
      : Napi::AsyncWorker(env, "virtfleet-libvirt"),
        deferred_(Napi::Promise::Deferred::New(env)),
        lease_(lease),
        work_(std::move(work)),
        toJs_(std::move(toJs)) {}

  Napi::Promise::Deferred deferred_;
  virConnectPtr lease_;
  Work<Result> work_;
  ToJs<Result> toJs_;
  Outcome<Result> outcome_;
};

/** A long call (a migration) on a thread of its own, so it never holds a libuv pool thread. */
template <typename Result>
class ThreadCall {
 public:
  static Napi::Promise Start(Napi::Env env, virConnectPtr lease, Work<Result> work, ToJs<Result> toJs) {
    auto* call = new ThreadCall(env, lease, std::move(work), std::move(toJs));
    Napi::Promise promise = call->deferred_.Promise();
    // Keeps Node alive: a pending migration is work in progress.
    std::shared_ptr<JsCallback> settle = JsCallback::Create(
        env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}), "virtfleet-libvirt-thread", true);
    std::thread([call, settle]() {
      call->outcome_.Compute(call->work_, call->lease_);
      settle->Post(call, [](Napi::Env jsEnv, Napi::Function, ThreadCall* done) {
        done->outcome_.Settle(jsEnv, done->deferred_, done->toJs_);
        delete done;
      });
      settle->Release();
    }).detach();
    return promise;
  }

 private:
  ThreadCall(Napi::Env env, virConnectPtr lease, Work<Result> work, ToJs<Result> toJs)
      : deferred_(Napi::Promise::Deferred::New(env)), lease_(lease), work_(std::move(work)), toJs_(std::move(toJs)) {}

  Napi::Promise::Deferred deferred_;
  virConnectPtr lease_;
  Work<Result> work_;
  ToJs<Result> toJs_;
  Outcome<Result> outcome_;
};

Napi::Promise Rejected(Napi::Env env, const LibvirtError& error) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(ToJsError(env, error));
  return deferred.Promise();
}

Napi::Promise Resolved(Napi::Env env, Napi::Value value) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Resolve(value);
  return deferred.Promise();
}

// ---------------------------------------------------------------------------------------------
// libvirt's event loop: registered and started once per process, on first use.

void EnsureEventLoop() {
  static std::once_flag started;
  std::call_once(started, [] {
    // Registered together with the thread that runs it: libvirt must never see a registered
    // event implementation that nobody runs (keepalive pings would go unanswered).
    if (virEventRegisterDefaultImpl() < 0) return;
    std::thread([] {
      for (;;) {
        if (virEventRunDefaultImpl() < 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }).detach();
  });
}

// ---------------------------------------------------------------------------------------------
// Per-connection state shared with libvirt's callbacks (which run on the event loop thread).

struct ConnectionState {
  std::atomic<bool> closed{false};
  std::shared_ptr<JsCallback> onClosed;  // the JS onClosed(reason) callback
  std::mutex eventsMutex;
  std::set<int> eventCallbackIds;
};
using SharedState = std::shared_ptr<ConnectionState>;

void OnConnectionClosed(virConnectPtr /*conn*/, int reason, void* opaque) {
  SharedState state = *static_cast<SharedState*>(opaque);
  state->closed = true;
  state->onClosed->Post(new std::string(LowerName(kCloseReasons, reason)),
                        [](Napi::Env env, Napi::Function listener, std::string* name) {
                          std::unique_ptr<std::string> owned(name);
                          CallListener(listener, {Napi::String::New(env, *owned)});
                        });
}

void FreeClosedCallbackState(void* opaque) { delete static_cast<SharedState*>(opaque); }

/** One onDomainEvent() registration; libvirt owns it until it calls FreeEventSink. */
struct EventSink {
  std::shared_ptr<JsCallback> listener;
};

struct LifecycleEvent {
  std::string domainName;
  std::string domainUuid;
  std::string event;
  std::string detail;
};

int OnLifecycleEvent(virConnectPtr /*conn*/, virDomainPtr domain, int event, int detail, void* opaque) {
  auto* sink = static_cast<EventSink*>(opaque);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virDomainGetUUIDString(domain, uuid);
  const char* name = virDomainGetName(domain);
  auto* payload = new LifecycleEvent{name ? name : "", uuid, LowerName(kLifecycleEvents, event),
                                     LowerNameIn(kLifecycleDetails, event, detail)};
  sink->listener->Post(payload, [](Napi::Env env, Napi::Function listener, LifecycleEvent* raw) {
    std::unique_ptr<LifecycleEvent> owned(raw);
    Napi::Object jsEvent = Napi::Object::New(env);
    jsEvent.Set("domainName", owned->domainName);
    jsEvent.Set("domainUuid", owned->domainUuid);
    jsEvent.Set("event", owned->event);
    jsEvent.Set("detail", owned->detail);
    CallListener(listener, {jsEvent});
  });
  return 0;
}

void FreeEventSink(void* opaque) { delete static_cast<EventSink*>(opaque); }

/** Deregisters our callbacks, then drops the connection reference `conn` (worker thread). */
void ShutDownConnection(virConnectPtr conn, const SharedState& state) {
  std::set<int> ids;
  {
    std::lock_guard<std::mutex> lock(state->eventsMutex);
    ids.swap(state->eventCallbackIds);
  }
  for (int id : ids) virConnectDomainEventDeregisterAny(conn, id);
  virConnectUnregisterCloseCallback(conn, OnConnectionClosed);
  state->closed = true;
  virResetLastError();
  virConnectClose(conn);
}

// ---------------------------------------------------------------------------------------------
// Results and their JS shapes.

std::string FormatVersion(unsigned long long version) {
  return std::to_string(version / 1000000) + "." + std::to_string((version / 1000) % 1000) + "." +
         std::to_string(version % 1000);
}

struct Versions {
  std::string libvirt;
  std::optional<std::string> hypervisor;
  std::string hypervisorType;
};

struct DomainStateResult {
  int state;
  int reason;
};

struct DomainStats {
  int state = 0;
  unsigned long long cpuTimeNs = 0;
  unsigned long memoryKiB = 0;
  unsigned long maxMemoryKiB = 0;
  unsigned int vcpus = 0;
  // Summed over all disks / interfaces; absent when the driver has no bulk stats (LXC).
  std::optional<unsigned long long> blockReadBytes, blockWriteBytes, netRxBytes, netTxBytes;
};

struct JobInfo {
  int type = VIR_DOMAIN_JOB_NONE;
  std::optional<unsigned long long> dataTotal, dataProcessed, dataRemaining, memTotal, memProcessed,
      memRemaining, timeElapsedMs;
};

Napi::Value OptionalNumber(Napi::Env env, const std::optional<unsigned long long>& value) {
  return value ? Napi::Number::New(env, static_cast<double>(*value)) : env.Null();
}

/** Sums typed parameters named `<prefix>.<index>.<suffix>`, e.g. block.0.rd.bytes. */
std::optional<unsigned long long> SumIndexed(virTypedParameterPtr params, int count, const std::string& prefix,
                                             const std::string& suffix) {
  std::optional<unsigned long long> total;
  for (int i = 0; i < count; ++i) {
    std::string field = params[i].field;
    if (params[i].type != VIR_TYPED_PARAM_ULLONG || field.rfind(prefix + ".", 0) != 0) continue;
    if (field.size() <= suffix.size() + 1 || field.compare(field.size() - suffix.size() - 1, std::string::npos, "." + suffix) != 0)
      continue;
    total = total.value_or(0) + params[i].value.ul;
  }
  return total;
}

/** Block and interface totals where the driver supports bulk stats; left empty otherwise. */
void AddBulkStats(virDomainPtr domain, DomainStats& stats) {
  virDomainPtr domains[] = {domain, nullptr};
  virDomainStatsRecordPtr* records = nullptr;
  int found = virDomainListGetStats(domains, VIR_DOMAIN_STATS_BLOCK | VIR_DOMAIN_STATS_INTERFACE, &records, 0);
  if (found < 0) {
    virResetLastError();  // unsupported (e.g. LXC): the totals stay null
    return;
  }
  if (found > 0) {
    virDomainStatsRecordPtr record = records[0];
    // Present but zero disks/interfaces reads as 0, not null: the driver did answer.
    auto sumOrZero = [&](const char* prefix, const char* suffix) {
      return SumIndexed(record->params, record->nparams, prefix, suffix).value_or(0);
    };
    stats.blockReadBytes = sumOrZero("block", "rd.bytes");
    stats.blockWriteBytes = sumOrZero("block", "wr.bytes");
    stats.netRxBytes = sumOrZero("net", "rx.bytes");
    stats.netTxBytes = sumOrZero("net", "tx.bytes");
  }
  virDomainStatsRecordListFree(records);
}

JobInfo ReadJobInfo(virDomainPtr domain) {
  JobInfo job;
  TypedParams params;
  if (virDomainGetJobStats(domain, &job.type, params.out(), params.outCount(), 0) == 0) {
    job.dataTotal = params.GetULLong(VIR_DOMAIN_JOB_DATA_TOTAL);
    job.dataProcessed = params.GetULLong(VIR_DOMAIN_JOB_DATA_PROCESSED);
    job.dataRemaining = params.GetULLong(VIR_DOMAIN_JOB_DATA_REMAINING);
    job.memTotal = params.GetULLong(VIR_DOMAIN_JOB_MEMORY_TOTAL);
    job.memProcessed = params.GetULLong(VIR_DOMAIN_JOB_MEMORY_PROCESSED);
    job.memRemaining = params.GetULLong(VIR_DOMAIN_JOB_MEMORY_REMAINING);
    job.timeElapsedMs = params.GetULLong(VIR_DOMAIN_JOB_TIME_ELAPSED);
    return job;
  }
  if (!LastErrorIsUnsupported()) FailWithLastError("virDomainGetJobStats");
  // Older drivers only have the fixed struct.
  virResetLastError();
  virDomainJobInfo info{};
  Check(virDomainGetJobInfo(domain, &info), "virDomainGetJobInfo");
  job.type = info.type;
  job.dataTotal = info.dataTotal;
  job.dataProcessed = info.dataProcessed;
  job.dataRemaining = info.dataRemaining;
  job.memTotal = info.memTotal;
  job.memProcessed = info.memProcessed;
  job.memRemaining = info.memRemaining;
  job.timeElapsedMs = info.timeElapsed;
  return job;
}

struct MigrationRequest {
  std::string domain;
  std::string destUri;
  unsigned int flags = 0;
  unsigned long long bandwidthMiBs = 0;
  // The definition the destination runs the guest with / persists; empty: the source's own XML.
  std::string destXml;
  std::string persistXml;
};

void Migrate(virConnectPtr conn, const MigrationRequest& request) {
  DomainRef domain = LookupDomain(conn, request.domain);
  TypedParams params;
  if (request.bandwidthMiBs > 0) params.AddULLong(VIR_MIGRATE_PARAM_BANDWIDTH, request.bandwidthMiBs);
  if (!request.destXml.empty()) params.AddString(VIR_MIGRATE_PARAM_DEST_XML, request.destXml);
  if (!request.persistXml.empty()) params.AddString(VIR_MIGRATE_PARAM_PERSIST_XML, request.persistXml);
  if (request.flags & VIR_MIGRATE_PEER2PEER) {
    // Peer-to-peer: the source libvirtd connects to the destination itself.
    Check(virDomainMigrateToURI3(domain.get(), request.destUri.c_str(), params.get(), params.count(), request.flags),
          "virDomainMigrateToURI3");
    return;
  }
  // Client-managed: without PEER2PEER, virDomainMigrateToURI3 means "direct" migration (which QEMU
  // does not support); the managed flavour needs our own connection to the destination.
  ConnectRef dest(Check(virConnectOpen(request.destUri.c_str()), "virConnectOpen (migration destination)"));
  DomainRef moved(Check(virDomainMigrate3(domain.get(), dest.get(), params.get(), params.count(), request.flags),
                        "virDomainMigrate3"));
}

// ---------------------------------------------------------------------------------------------
// Storage volumes by path (guest storage checks: storageVolumesByPath). Self-contained block.
//
// virStorageVolLookupByPath matches the path string (after virFileSanitizePath: duplicate and
// trailing slashes only; no realpath, no "..") against the volumes the active pools listed at
// their last refresh, so the allowed pools are refreshed first: a file created since is seen,
// and one removed since is no longer reported.

struct StoragePoolFree {
  void operator()(virStoragePoolPtr pool) const { virStoragePoolFree(pool); }
};
using StoragePoolRef = std::unique_ptr<virStoragePool, StoragePoolFree>;

struct StorageVolFree {
  void operator()(virStorageVolPtr vol) const { virStorageVolFree(vol); }
};
using StorageVolRef = std::unique_ptr<virStorageVol, StorageVolFree>;

const NameTable kStorageVolTypes = {
    VF_SUFFIX(VIR_STORAGE_VOL_, FILE), VF_SUFFIX(VIR_STORAGE_VOL_, BLOCK),  VF_SUFFIX(VIR_STORAGE_VOL_, DIR),
    VF_SUFFIX(VIR_STORAGE_VOL_, NETWORK), VF_SUFFIX(VIR_STORAGE_VOL_, NETDIR), VF_SUFFIX(VIR_STORAGE_VOL_, PLOOP),
};

struct StorageVolumeFound {
  std::string path;  // virStorageVolGetPath: the pool's own spelling of the volume's path
  std::string name;
  std::string type;  // lowercased virStorageVolType
  std::string pool;
  std::string poolXml;
  std::string volumeXml;
};
struct StoragePoolFound {
  std::string name;
  std::string xml;
};

struct StorageLookups {
  std::vector<std::optional<StorageVolumeFound>> volumes;  // one per path; empty: no volume there
  std::vector<StoragePoolFound> pools;                     // the named pools that exist and are active
};

std::string TakeCString(char* text, const char* context) {
  CString owned(Check(text, context));
  return std::string(owned.get());
}

/** Refresh each named pool that exists and is active, and describe it; a pool that does not exist is skipped. */
std::vector<StoragePoolFound> RefreshPools(virConnectPtr conn, const std::vector<std::string>& names) {
  std::vector<StoragePoolFound> refreshed;
  for (const std::string& name : names) {
    virStoragePoolPtr found = virStoragePoolLookupByName(conn, name.c_str());
    if (found == nullptr) {
      virErrorPtr last = virGetLastError();
      if (last == nullptr || last->code != VIR_ERR_NO_STORAGE_POOL) FailWithLastError("virStoragePoolLookupByName");
      virResetLastError();
      continue;
    }
    StoragePoolRef pool(found);
    if (Check(virStoragePoolIsActive(pool.get()), "virStoragePoolIsActive") != 1) continue;
    Check(virStoragePoolRefresh(pool.get(), 0), "virStoragePoolRefresh");
    refreshed.push_back({name, TakeCString(virStoragePoolGetXMLDesc(pool.get(), 0), "virStoragePoolGetXMLDesc")});
  }
  return refreshed;
}

StorageVolumeFound DescribeVolume(virStorageVolPtr vol);

std::optional<StorageVolumeFound> LookupVolumeByPath(virConnectPtr conn, const std::string& path) {
  virStorageVolPtr found = virStorageVolLookupByPath(conn, path.c_str());
  if (found == nullptr) {
    virErrorPtr last = virGetLastError();
    if (last == nullptr || last->code != VIR_ERR_NO_STORAGE_VOL) FailWithLastError("virStorageVolLookupByPath");
    virResetLastError();
    return std::nullopt;
  }
  StorageVolRef vol(found);
  return DescribeVolume(vol.get());
}

/** The volume's facts; `vol` must be valid. */
StorageVolumeFound DescribeVolume(virStorageVolPtr vol) {
  StorageVolumeFound result;
  result.path = TakeCString(virStorageVolGetPath(vol), "virStorageVolGetPath");
  result.name = Check(virStorageVolGetName(vol), "virStorageVolGetName");  // owned by vol
  virStorageVolInfo info{};
  Check(virStorageVolGetInfo(vol, &info), "virStorageVolGetInfo");
  result.type = LowerName(kStorageVolTypes, info.type);
  result.volumeXml = TakeCString(virStorageVolGetXMLDesc(vol, 0), "virStorageVolGetXMLDesc");
  StoragePoolRef pool(Check(virStoragePoolLookupByVolume(vol), "virStoragePoolLookupByVolume"));
  result.pool = Check(virStoragePoolGetName(pool.get()), "virStoragePoolGetName");  // owned by pool
  result.poolXml = TakeCString(virStoragePoolGetXMLDesc(pool.get(), 0), "virStoragePoolGetXMLDesc");
  return result;
}

// Managed volumes (volume create/adopt/delete): one pool named by the caller, never a path.

struct StoragePoolState {
  bool exists = false;
  bool active = false;
  std::string xml;
  unsigned long long capacity = 0;
  unsigned long long allocation = 0;
  unsigned long long available = 0;
};

/** The pool named `name`, or null when there is none (any other failure throws). */
StoragePoolRef FindPool(virConnectPtr conn, const std::string& name) {
  virStoragePoolPtr found = virStoragePoolLookupByName(conn, name.c_str());
  if (found != nullptr) return StoragePoolRef(found);
  virErrorPtr last = virGetLastError();
  if (last == nullptr || last->code != VIR_ERR_NO_STORAGE_POOL) FailWithLastError("virStoragePoolLookupByName");
  virResetLastError();
  return StoragePoolRef(nullptr);
}

/** Refreshes an active pool first, so its figures and volume list are current. */
StoragePoolState DescribePool(virConnectPtr conn, const std::string& name) {
  StoragePoolState state;
  StoragePoolRef pool = FindPool(conn, name);
  if (!pool) return state;
  state.exists = true;
  state.active = Check(virStoragePoolIsActive(pool.get()), "virStoragePoolIsActive") == 1;
  if (state.active) Check(virStoragePoolRefresh(pool.get(), 0), "virStoragePoolRefresh");
  state.xml = TakeCString(virStoragePoolGetXMLDesc(pool.get(), 0), "virStoragePoolGetXMLDesc");
  virStoragePoolInfo info{};
  Check(virStoragePoolGetInfo(pool.get(), &info), "virStoragePoolGetInfo");
  state.capacity = info.capacity;
  state.allocation = info.allocation;
  state.available = info.available;
  return state;
}

/** The volume `name` of the (active) pool `poolName`, refreshed first; empty when either is missing. */
std::optional<StorageVolumeFound> LookupVolumeByName(virConnectPtr conn, const std::string& poolName, const std::string& name) {
  StoragePoolRef pool = FindPool(conn, poolName);
  if (!pool || Check(virStoragePoolIsActive(pool.get()), "virStoragePoolIsActive") != 1) return std::nullopt;
  Check(virStoragePoolRefresh(pool.get(), 0), "virStoragePoolRefresh");
  virStorageVolPtr found = virStorageVolLookupByName(pool.get(), name.c_str());
  if (found == nullptr) {
    virErrorPtr last = virGetLastError();
    if (last == nullptr || last->code != VIR_ERR_NO_STORAGE_VOL) FailWithLastError("virStorageVolLookupByName");
    virResetLastError();
    return std::nullopt;
  }
  StorageVolRef vol(found);
  return DescribeVolume(vol.get());
}

Napi::Value VolumeToJs(Napi::Env env, const StorageVolumeFound& vol) {
  Napi::Object item = Napi::Object::New(env);
  item.Set("path", vol.path);
  item.Set("name", vol.name);
  item.Set("type", vol.type);
  item.Set("pool", vol.pool);
  item.Set("poolXml", vol.poolXml);
  item.Set("volumeXml", vol.volumeXml);
  return item;
}

std::vector<std::string> StringListArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsArray()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an array of strings");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an array of strings");
    out.push_back(item.As<Napi::String>().Utf8Value());
  }
  return out;
}

Napi::Value StorageLookupsToJs(Napi::Env env, const StorageLookups& lookups) {
  Napi::Array volumes = Napi::Array::New(env, lookups.volumes.size());
  for (size_t i = 0; i < lookups.volumes.size(); ++i) {
    if (!lookups.volumes[i]) {
      volumes.Set(static_cast<uint32_t>(i), env.Null());
      continue;
    }
    volumes.Set(static_cast<uint32_t>(i), VolumeToJs(env, *lookups.volumes[i]));
  }
  Napi::Array pools = Napi::Array::New(env, lookups.pools.size());
  for (size_t i = 0; i < lookups.pools.size(); ++i) {
    Napi::Object item = Napi::Object::New(env);
    item.Set("name", lookups.pools[i].name);
    item.Set("xml", lookups.pools[i].xml);
    pools.Set(static_cast<uint32_t>(i), item);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("volumes", volumes);
  out.Set("pools", pools);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The Connection class exposed to JS (wrapped by native-libvirt.ts).

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsString())
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return info[index].As<Napi::String>().Utf8Value();
}

Napi::Function FunctionArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsFunction())
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a function");
  return info[index].As<Napi::Function>();
}

/** The virDomainShutdownFlags value for an optional mode name; undefined means "default". */
unsigned int ShutdownModeArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined()) return VIR_DOMAIN_SHUTDOWN_DEFAULT;
  if (info[index].IsString()) {
    std::string mode = info[index].As<Napi::String>().Utf8Value();
    for (const NamedValue& entry : kShutdownModes)
      if (mode == entry.name) return static_cast<unsigned int>(entry.value);
  }
  throw Napi::TypeError::New(info.Env(), "mode must be one of default, acpi, agent, initctl, signal, paravirt");
}

bool BoolOption(const Napi::Object& options, const char* key) {
  return options.Has(key) && options.Get(key).ToBoolean().Value();
}

/** A string option, or "" when absent or not a string. */
std::string StringOption(const Napi::Object& options, const char* key) {
  return options.Has(key) && options.Get(key).IsString() ? options.Get(key).As<Napi::String>().Utf8Value() : std::string();
}

class Connection : public Napi::ObjectWrap<Connection> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeConnectionHandle",
                       {
                           InstanceMethod<&Connection::Open>("open"),
                           InstanceMethod<&Connection::Close>("close"),
                           InstanceMethod<&Connection::IsAlive>("isAlive"),
                           InstanceMethod<&Connection::Capabilities>("capabilities"),
                           InstanceMethod<&Connection::Versions>("versions"),
                           InstanceMethod<&Connection::NodeFreeMemory>("nodeFreeMemoryBytes"),
                           InstanceMethod<&Connection::DomainState>("domainState"),
                           InstanceMethod<&Connection::DomainStatsCall>("domainStats"),
                           InstanceMethod<&Connection::Reboot>("reboot"),
                           InstanceMethod<&Connection::Shutdown>("shutdown"),
                           InstanceMethod<&Connection::JobInfoCall>("jobInfo"),
                           InstanceMethod<&Connection::AbortJob>("abortJob"),
                           InstanceMethod<&Connection::MigrateCall>("migrate"),
                           InstanceMethod<&Connection::OnDomainEvent>("onDomainEvent"),
                           InstanceMethod<&Connection::OffDomainEvent>("offDomainEvent"),
                           InstanceMethod<&Connection::StorageVolumesByPath>("storageVolumesByPath"),
                           InstanceMethod<&Connection::StoragePoolState>("storagePoolState"),
                           InstanceMethod<&Connection::StorageVolumeByName>("storageVolumeByName"),
                           InstanceMethod<&Connection::CreateStorageVolume>("createStorageVolume"),
                           InstanceMethod<&Connection::DeleteStorageVolume>("deleteStorageVolume"),
                           InstanceMethod<&Connection::CreateStorageVolumeFrom>("createStorageVolumeFrom"),
                           InstanceMethod<&Connection::SendStorageVolume>("sendStorageVolume"),
                       });
  }

  explicit Connection(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Connection>(info) {}

  ~Connection() override {
    // Garbage-collected without close(): close on a thread of its own (the final close of a remote
    // connection is a network round trip the JS thread must not wait for).
    if (conn_ == nullptr) return;
    std::thread([conn = conn_, state = state_] { ShutDownConnection(conn, state); }).detach();
  }

 private:
  // open(uri, keepAliveIntervalS, keepAliveCount, onClosed(reason)): Promise<void>
  Napi::Value Open(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string uri = StringArg(info, 0, "uri");
    int keepAliveInterval = info[1].As<Napi::Number>().Int32Value();
    unsigned int keepAliveCount = info[2].As<Napi::Number>().Uint32Value();
    Napi::Function onClosed = FunctionArg(info, 3, "onClosed");
    if (conn_ != nullptr || opening_) throw Napi::Error::New(env, "open() may be called once per connection");
    opening_ = true;
    EnsureEventLoop();  // before virConnectOpen: keepalive and the close callback need it

    SharedState state = std::make_shared<ConnectionState>();
    state->onClosed = JsCallback::Create(env, onClosed, "virtfleet-libvirt-close", false);
    auto self = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Value()));

    Work<virConnectPtr> work = [uri, keepAliveInterval, keepAliveCount, state](virConnectPtr) {
      virConnectPtr conn = Check(virConnectOpen(uri.c_str()), "virConnectOpen");
      virConnSetErrorFunc(conn, nullptr, SilenceLibvirtError);
      // Keepalive only exists for remote connections; in-process drivers answer "unsupported".
      if (keepAliveInterval > 0 && virConnectSetKeepAlive(conn, keepAliveInterval, keepAliveCount) < 0)
        virResetLastError();
      auto* holder = new SharedState(state);
      if (virConnectRegisterCloseCallback(conn, OnConnectionClosed, holder, FreeClosedCallbackState) < 0) {
        delete holder;  // libvirt did not take it
        virResetLastError();
      }
      return conn;
    };
    ToJs<virConnectPtr> settle = [self, state](Napi::Env jsEnv, const virConnectPtr& conn) {
      Connection* connection = Connection::Unwrap(self->Value());
      connection->conn_ = conn;
      connection->state_ = state;
      connection->opening_ = false;
      return jsEnv.Undefined();
    };
    Napi::Promise promise = PoolCall<virConnectPtr>::Start(env, nullptr, work, settle);
    // A failed open leaves the object unopened; open() may not be retried (create a new one).
    return promise;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (conn_ == nullptr) return Resolved(env, env.Undefined());
    virConnectPtr conn = conn_;  // the call takes over our own reference
    conn_ = nullptr;
    SharedState state = state_;
    return PoolCall<Nothing>::Start(
        env, nullptr,
        [conn, state](virConnectPtr) {
          ShutDownConnection(conn, state);
          return Nothing{};
        },
        Undefined);
  }

  Napi::Value IsAlive(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (conn_ == nullptr || state_->closed) return Resolved(env, Napi::Boolean::New(env, false));
    SharedState state = state_;
    return Run<bool>(
        env,
        [state](virConnectPtr conn) { return !state->closed && Check(virConnectIsAlive(conn), "virConnectIsAlive") == 1; },
        [](Napi::Env jsEnv, const bool& alive) { return Napi::Boolean::New(jsEnv, alive); });
  }

  Napi::Value Capabilities(const Napi::CallbackInfo& info) {
    return Run<std::string>(
        info.Env(),
        [](virConnectPtr conn) {
          CString xml(Check(virConnectGetCapabilities(conn), "virConnectGetCapabilities"));
          return std::string(xml.get());
        },
        [](Napi::Env env, const std::string& xml) { return Napi::String::New(env, xml); });
  }

  Napi::Value Versions(const Napi::CallbackInfo& info) {
    return Run<::Versions>(
        info.Env(),
        [](virConnectPtr conn) {
          ::Versions versions;
          unsigned long libVersion = 0;
          Check(virConnectGetLibVersion(conn, &libVersion), "virConnectGetLibVersion");
          versions.libvirt = FormatVersion(libVersion);
          versions.hypervisorType = Check(virConnectGetType(conn), "virConnectGetType");  // static string
          unsigned long hvVersion = 0;
          if (virConnectGetVersion(conn, &hvVersion) == 0)
            versions.hypervisor = FormatVersion(hvVersion);
          else
            virResetLastError();  // some drivers cannot tell; reported as null
          return versions;
        },
        [](Napi::Env env, const ::Versions& versions) {
          Napi::Object out = Napi::Object::New(env);
          out.Set("libvirt", versions.libvirt);
          out.Set("hypervisor", versions.hypervisor ? Napi::Value(Napi::String::New(env, *versions.hypervisor)) : env.Null());
          out.Set("hypervisorType", versions.hypervisorType);
          return out;
        });
  }

  Napi::Value NodeFreeMemory(const Napi::CallbackInfo& info) {
    return Run<unsigned long long>(
        info.Env(),
        [](virConnectPtr conn) {
          unsigned long long bytes = virNodeGetFreeMemory(conn);
          if (bytes == 0) {  // 0 is also libvirt's error value
            virErrorPtr last = virGetLastError();
            if (last != nullptr && last->code != VIR_ERR_OK) FailWithLastError("virNodeGetFreeMemory");
          }
          return bytes;
        },
        [](Napi::Env env, const unsigned long long& bytes) { return Napi::Number::New(env, static_cast<double>(bytes)); });
  }

  Napi::Value DomainState(const Napi::CallbackInfo& info) {
    return RunOnDomain<DomainStateResult>(
        info,
        [](virDomainPtr domain) {
          DomainStateResult result{};
          Check(virDomainGetState(domain, &result.state, &result.reason, 0), "virDomainGetState");
          return result;
        },
        [](Napi::Env env, const DomainStateResult& result) {
          Napi::Object out = Napi::Object::New(env);
          out.Set("state", LowerName(kDomainStates, result.state));
          out.Set("reason", LowerNameIn(kStateReasons, result.state, result.reason));
          return out;
        });
  }

  Napi::Value DomainStatsCall(const Napi::CallbackInfo& info) {
    return RunOnDomain<DomainStats>(
        info,
        [](virDomainPtr domain) {
          virDomainInfo basic{};
          Check(virDomainGetInfo(domain, &basic), "virDomainGetInfo");
          DomainStats stats;
          stats.state = basic.state;
          stats.cpuTimeNs = basic.cpuTime;
          stats.memoryKiB = basic.memory;
          stats.maxMemoryKiB = basic.maxMem;
          stats.vcpus = basic.nrVirtCpu;
          AddBulkStats(domain, stats);
          return stats;
        },
        [](Napi::Env env, const DomainStats& stats) {
          Napi::Object out = Napi::Object::New(env);
          out.Set("state", LowerName(kDomainStates, stats.state));
          out.Set("cpuTimeNs", Napi::Number::New(env, static_cast<double>(stats.cpuTimeNs)));
          out.Set("memoryKiB", Napi::Number::New(env, static_cast<double>(stats.memoryKiB)));
          out.Set("maxMemoryKiB", Napi::Number::New(env, static_cast<double>(stats.maxMemoryKiB)));
          out.Set("vcpus", Napi::Number::New(env, stats.vcpus));
          out.Set("blockReadBytes", OptionalNumber(env, stats.blockReadBytes));
          out.Set("blockWriteBytes", OptionalNumber(env, stats.blockWriteBytes));
          out.Set("netRxBytes", OptionalNumber(env, stats.netRxBytes));
          out.Set("netTxBytes", OptionalNumber(env, stats.netTxBytes));
          return out;
        });
  }

  Napi::Value Reboot(const Napi::CallbackInfo& info) {
    return RunOnDomain<Nothing>(
        info,
        [](virDomainPtr domain) {
          Check(virDomainReboot(domain, 0), "virDomainReboot");
          return Nothing{};
        },
        Undefined);
  }

  // shutdown(name, mode?): Promise<void>. Returns once the guest was asked; it may stop later or never.
  Napi::Value Shutdown(const Napi::CallbackInfo& info) {
    unsigned int flags = ShutdownModeArg(info, 1);  // on the JS thread: a bad mode throws, not rejects
    return RunOnDomain<Nothing>(
        info,
        [flags](virDomainPtr domain) {
          Check(virDomainShutdownFlags(domain, flags), "virDomainShutdownFlags");
          return Nothing{};
        },
        Undefined);
  }

  Napi::Value JobInfoCall(const Napi::CallbackInfo& info) {
    return RunOnDomain<JobInfo>(info, ReadJobInfo, [](Napi::Env env, const JobInfo& job) -> Napi::Value {
      if (job.type == VIR_DOMAIN_JOB_NONE) return env.Null();
      Napi::Object out = Napi::Object::New(env);
      out.Set("type", LowerName(kJobTypes, job.type));
      out.Set("dataTotal", OptionalNumber(env, job.dataTotal));
      out.Set("dataProcessed", OptionalNumber(env, job.dataProcessed));
      out.Set("dataRemaining", OptionalNumber(env, job.dataRemaining));
      out.Set("memTotal", OptionalNumber(env, job.memTotal));
      out.Set("memProcessed", OptionalNumber(env, job.memProcessed));
      out.Set("memRemaining", OptionalNumber(env, job.memRemaining));
      out.Set("timeElapsedMs", OptionalNumber(env, job.timeElapsedMs));
      return out;
    });
  }

  Napi::Value AbortJob(const Napi::CallbackInfo& info) {
    return RunOnDomain<Nothing>(
        info,
        [](virDomainPtr domain) {
          Check(virDomainAbortJob(domain), "virDomainAbortJob");
          return Nothing{};
        },
        Undefined);
  }

  // migrate(name, destUri, {live, peer2peer, persistDest, undefineSource, tunnelled, bandwidthMiBs, destXml, persistXml}): Promise<void>
  Napi::Value MigrateCall(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MigrationRequest request;
    request.domain = StringArg(info, 0, "domain");
    request.destUri = StringArg(info, 1, "destUri");
    Napi::Object options = info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(env);
    if (BoolOption(options, "live")) request.flags |= VIR_MIGRATE_LIVE;
    if (BoolOption(options, "peer2peer")) request.flags |= VIR_MIGRATE_PEER2PEER;
    if (BoolOption(options, "persistDest")) request.flags |= VIR_MIGRATE_PERSIST_DEST;
    if (BoolOption(options, "undefineSource")) request.flags |= VIR_MIGRATE_UNDEFINE_SOURCE;
    if (BoolOption(options, "tunnelled")) request.flags |= VIR_MIGRATE_TUNNELLED;
    // Disks copied to the destination's (pre-created) volumes over NBD while the guest runs.
    if (BoolOption(options, "copyStorage")) request.flags |= VIR_MIGRATE_NON_SHARED_DISK;
    if (options.Has("bandwidthMiBs") && options.Get("bandwidthMiBs").IsNumber()) {
      int64_t bandwidth = options.Get("bandwidthMiBs").As<Napi::Number>().Int64Value();
      request.bandwidthMiBs = bandwidth > 0 ? static_cast<unsigned long long>(bandwidth) : 0;  // 0: libvirt's default
    }
    request.destXml = StringOption(options, "destXml");
    request.persistXml = StringOption(options, "persistXml");
    if (conn_ == nullptr) return Rejected(env, kClosedConnection);
    virConnectRef(conn_);
    return ThreadCall<Nothing>::Start(
        env, conn_,
        [request](virConnectPtr conn) {
          Migrate(conn, request);
          return Nothing{};
        },
        Undefined);
  }

  // onDomainEvent(listener): Promise<callbackId>
  Napi::Value OnDomainEvent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Function listener = FunctionArg(info, 0, "listener");
    if (conn_ == nullptr) return Rejected(env, kClosedConnection);
    auto* sink = new EventSink{JsCallback::Create(env, listener, "virtfleet-libvirt-event", false)};
    SharedState state = state_;
    return Run<int>(
        env,
        [sink, state](virConnectPtr conn) {
          int id = virConnectDomainEventRegisterAny(conn, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                    VIR_DOMAIN_EVENT_CALLBACK(OnLifecycleEvent), sink, FreeEventSink);
          if (id < 0) {
            LibvirtError error = CaptureLastError("virConnectDomainEventRegisterAny");
            FreeEventSink(sink);  // not registered, so libvirt will never free it
            error.message = "domain lifecycle events are not available on this connection: " + error.message;
            throw LibvirtFailure{error};
          }
          std::lock_guard<std::mutex> lock(state->eventsMutex);
          state->eventCallbackIds.insert(id);
          return id;
        },
        [](Napi::Env jsEnv, const int& id) { return Napi::Number::New(jsEnv, id); });
  }

  Napi::Value OffDomainEvent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int id = info[0].As<Napi::Number>().Int32Value();
    if (conn_ == nullptr) return Resolved(env, env.Undefined());  // closing dropped every callback
    SharedState state = state_;
    return Run<Nothing>(
        env,
        [id, state](virConnectPtr conn) {
          {
            std::lock_guard<std::mutex> lock(state->eventsMutex);
            if (state->eventCallbackIds.erase(id) == 0) return Nothing{};  // already gone
          }
          Check(virConnectDomainEventDeregisterAny(conn, id), "virConnectDomainEventDeregisterAny");
          return Nothing{};
        },
        Undefined);
  }

  // storageVolumesByPath(paths, refreshPools): Promise<{volumes: Array<volume | null>, pools}>.
  // Refreshes and describes the named pools (those that exist and are active), then looks each
  // path up; null: no volume there.
  Napi::Value StorageVolumesByPath(const Napi::CallbackInfo& info) {
    std::vector<std::string> paths = StringListArg(info, 0, "paths");
    std::vector<std::string> refreshPools = StringListArg(info, 1, "refreshPools");
    return Run<StorageLookups>(
        info.Env(),
        [paths, refreshPools](virConnectPtr conn) {
          StorageLookups lookups;
          lookups.pools = RefreshPools(conn, refreshPools);
          for (const std::string& path : paths) lookups.volumes.push_back(LookupVolumeByPath(conn, path));
          return lookups;
        },
        StorageLookupsToJs);
  }

  // storagePoolState(pool): Promise<{exists, active, xml, capacity, allocation, available}> (refreshed first when active).
  Napi::Value StoragePoolState(const Napi::CallbackInfo& info) {
    std::string name = StringArg(info, 0, "pool");
    return Run<::StoragePoolState>(
        info.Env(), [name](virConnectPtr conn) { return DescribePool(conn, name); },
        [](Napi::Env env, const ::StoragePoolState& state) {
          Napi::Object out = Napi::Object::New(env);
          out.Set("exists", state.exists);
          out.Set("active", state.active);
          out.Set("xml", state.xml);
          out.Set("capacity", Napi::Number::New(env, static_cast<double>(state.capacity)));
          out.Set("allocation", Napi::Number::New(env, static_cast<double>(state.allocation)));
          out.Set("available", Napi::Number::New(env, static_cast<double>(state.available)));
          return out;
        });
  }

  // storageVolumeByName(pool, name): Promise<volume | null> (the pool refreshed first).
  Napi::Value StorageVolumeByName(const Napi::CallbackInfo& info) {
    std::string pool = StringArg(info, 0, "pool");
    std::string name = StringArg(info, 1, "name");
    return Run<std::optional<StorageVolumeFound>>(
        info.Env(), [pool, name](virConnectPtr conn) { return LookupVolumeByName(conn, pool, name); },
        [](Napi::Env env, const std::optional<StorageVolumeFound>& vol) { return vol ? VolumeToJs(env, *vol) : env.Null(); });
  }

  // createStorageVolume(pool, xml): Promise<volume> through virStorageVolCreateXML.
  Napi::Value CreateStorageVolume(const Napi::CallbackInfo& info) {
    std::string poolName = StringArg(info, 0, "pool");
    std::string xml = StringArg(info, 1, "xml");
    return Run<StorageVolumeFound>(
        info.Env(),
        [poolName, xml](virConnectPtr conn) {
          StoragePoolRef pool(Check(virStoragePoolLookupByName(conn, poolName.c_str()), "virStoragePoolLookupByName"));
          StorageVolRef vol(Check(virStorageVolCreateXML(pool.get(), xml.c_str(), 0), "virStorageVolCreateXML"));
          return DescribeVolume(vol.get());
        },
        VolumeToJs);
  }

  // deleteStorageVolume(pool, name): Promise<boolean>; false when the pool has no such volume.
  Napi::Value DeleteStorageVolume(const Napi::CallbackInfo& info) {
    std::string poolName = StringArg(info, 0, "pool");
    std::string name = StringArg(info, 1, "name");
    return Run<bool>(
        info.Env(),
        [poolName, name](virConnectPtr conn) {
          StoragePoolRef pool(Check(virStoragePoolLookupByName(conn, poolName.c_str()), "virStoragePoolLookupByName"));
          Check(virStoragePoolRefresh(pool.get(), 0), "virStoragePoolRefresh");
          virStorageVolPtr found = virStorageVolLookupByName(pool.get(), name.c_str());
          if (found == nullptr) {
            virErrorPtr last = virGetLastError();
            if (last == nullptr || last->code != VIR_ERR_NO_STORAGE_VOL) FailWithLastError("virStorageVolLookupByName");
            virResetLastError();
            return false;
          }
          StorageVolRef vol(found);
          Check(virStorageVolDelete(vol.get(), 0), "virStorageVolDelete");
          return true;
        },
        [](Napi::Env env, const bool& deleted) { return Napi::Boolean::New(env, deleted); });
  }

  // createStorageVolumeFrom(pool, xml, sourceName): Promise<volume> through virStorageVolCreateXMLFrom
  // (a directory pool runs qemu-img convert: a qcow2 overlay's copy has its backing chain flattened).
  Napi::Value CreateStorageVolumeFrom(const Napi::CallbackInfo& info) {
    std::string poolName = StringArg(info, 0, "pool");
    std::string xml = StringArg(info, 1, "xml");
    std::string sourceName = StringArg(info, 2, "sourceName");
    return Run<StorageVolumeFound>(
        info.Env(),
        [poolName, xml, sourceName](virConnectPtr conn) {
          StoragePoolRef pool(Check(virStoragePoolLookupByName(conn, poolName.c_str()), "virStoragePoolLookupByName"));
          Check(virStoragePoolRefresh(pool.get(), 0), "virStoragePoolRefresh");
          StorageVolRef source(Check(virStorageVolLookupByName(pool.get(), sourceName.c_str()), "virStorageVolLookupByName"));
          StorageVolRef vol(Check(virStorageVolCreateXMLFrom(pool.get(), xml.c_str(), source.get(), 0), "virStorageVolCreateXMLFrom"));
          return DescribeVolume(vol.get());
        },
        VolumeToJs);
  }

  // sendStorageVolume(pool, name, target, targetPool, targetName): Promise<bytes>. The volume's
  // file is streamed from this connection's host (virStorageVolDownload) into an existing volume
  // of the target connection's host (virStorageVolUpload), through this process.
  Napi::Value SendStorageVolume(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string poolName = StringArg(info, 0, "pool");
    std::string name = StringArg(info, 1, "name");
    if (!info[2].IsObject()) return Rejected(env, LibvirtError{VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "target must be a connection"});
    Connection* target = Napi::ObjectWrap<Connection>::Unwrap(info[2].As<Napi::Object>());
    std::string targetPoolName = StringArg(info, 3, "targetPool");
    std::string targetName = StringArg(info, 4, "targetName");
    if (target == nullptr || target->conn_ == nullptr) return Rejected(env, kClosedConnection);
    virConnectRef(target->conn_);
    virConnectPtr targetConn = target->conn_;
    return Run<unsigned long long>(
        env,
        [poolName, name, targetConn, targetPoolName, targetName](virConnectPtr conn) {
          ConnectRef targetRef(targetConn);  // our reference, dropped when done
          StoragePoolRef pool(Check(virStoragePoolLookupByName(conn, poolName.c_str()), "virStoragePoolLookupByName"));
          StorageVolRef vol(Check(virStorageVolLookupByName(pool.get(), name.c_str()), "virStorageVolLookupByName"));
          StoragePoolRef targetPool(Check(virStoragePoolLookupByName(targetConn, targetPoolName.c_str()), "virStoragePoolLookupByName (target)"));
          Check(virStoragePoolRefresh(targetPool.get(), 0), "virStoragePoolRefresh (target)");
          StorageVolRef targetVol(Check(virStorageVolLookupByName(targetPool.get(), targetName.c_str()), "virStorageVolLookupByName (target)"));
          virStreamPtr in = Check(virStreamNew(conn, 0), "virStreamNew");
          virStreamPtr out = virStreamNew(targetConn, 0);
          if (out == nullptr) {
            virStreamFree(in);
            FailWithLastError("virStreamNew (target)");
          }
          unsigned long long total = 0;
          try {
            Check(virStorageVolDownload(vol.get(), in, 0, 0, 0), "virStorageVolDownload");
            Check(virStorageVolUpload(targetVol.get(), out, 0, 0, 0), "virStorageVolUpload");
            std::vector<char> buffer(1 << 20);
            for (;;) {
              int got = Check(virStreamRecv(in, buffer.data(), buffer.size()), "virStreamRecv");
              if (got == 0) break;
              for (int sent = 0; sent < got;) sent += Check(virStreamSend(out, buffer.data() + sent, got - sent), "virStreamSend");
              total += static_cast<unsigned long long>(got);
            }
            Check(virStreamFinish(in), "virStreamFinish");
            Check(virStreamFinish(out), "virStreamFinish (target)");
          } catch (...) {
            virStreamAbort(in);
            virStreamAbort(out);
            virStreamFree(in);
            virStreamFree(out);
            throw;
          }
          virStreamFree(in);
          virStreamFree(out);
          return total;
        },
        [](Napi::Env env, const unsigned long long& bytes) { return Napi::Number::New(env, static_cast<double>(bytes)); });
  }

  /** Queues `work` on the pool with a connection reference of its own, or rejects when closed. */
  template <typename Result>
  Napi::Value Run(Napi::Env env, Work<Result> work, ToJs<Result> toJs) {
    if (conn_ == nullptr) return Rejected(env, kClosedConnection);
    virConnectRef(conn_);
    return PoolCall<Result>::Start(env, conn_, std::move(work), std::move(toJs));
  }

  /** Like Run, for calls on one domain named (or UUID'd) by the first argument. */
  template <typename Result>
  Napi::Value RunOnDomain(const Napi::CallbackInfo& info, std::function<Result(virDomainPtr)> work, ToJs<Result> toJs) {
    std::string nameOrUuid = StringArg(info, 0, "domain");
    return Run<Result>(
        info.Env(),
        [nameOrUuid, work](virConnectPtr conn) {
          DomainRef domain = LookupDomain(conn, nameOrUuid);
          return work(domain.get());
        },
        std::move(toJs));
  }

  virConnectPtr conn_ = nullptr;
  SharedState state_;
  bool opening_ = false;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Global default handler: without it libvirt prints every error to stderr as well.
  virSetErrorFunc(nullptr, SilenceLibvirtError);
  exports.Set("NativeConnectionHandle", Connection::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(virtfleet_libvirt, Init)
