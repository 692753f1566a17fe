using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Invocation;

namespace Bittensor.Grains;

/// <summary>
/// The gateway's allow-list, decided from what a client cannot forge. Every grain call a silo makes (grain to grain,
/// the REST API, the dashboard, Orleans' own grains) carries the cluster secret in its request context — placed by this
/// filter as an outgoing filter on the silo, never on calls to a client's observer, and taken out again on arrival, so
/// grain code never holds it. A call without it came through a gateway: it is served only if its interface or method is
/// marked <see cref="ClientCallableAttribute"/>, whatever the message claims about its sending grain.
/// <see cref="ChainOptions.TrustClients"/> lifts this for tests and tools that drive a private cluster directly.
/// </summary>
internal sealed class SiloOriginFilter(ClusterSecret secret, IOptions<ChainOptions> options, GatewayRefusals refusals) : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    /// <summary>The request-context key of the proof of silo origin.</summary>
    internal const string ProofKey = "bittensor.silo-proof";

    private static readonly ConcurrentDictionary<MethodInfo, bool> Open = new();

    /// <summary>
    /// Orleans' own interfaces a client needs: the cluster manifest (a client reads it on connecting), and grain timers,
    /// whose invocations a grain sends itself and which cannot come off the wire (the callback is not serializable), and the
    /// test host's hooks (a system target that exists only in Orleans' test clusters).
    /// </summary>
    private static readonly FrozenSet<string> OpenRuntimeInterfaces = FrozenSet.Create(StringComparer.Ordinal,
        "Orleans.Runtime.IClusterManifestSystemTarget", "Orleans.Runtime.IGrainTimerInvoker", "Orleans.Runtime.TestHooks.ITestHooks");

    async Task IOutgoingGrainCallFilter.Invoke(IOutgoingGrainCallContext context)
    {
        // Changes to the request context inside this async method reach only this call, not the caller's later calls.
        if (context.TargetId.IsClient()) RequestContext.Remove(ProofKey);
        else RequestContext.Set(ProofKey, secret.Proof);
        await context.Invoke();
    }

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        bool fromSilo = secret.Matches(RequestContext.Get(ProofKey) as string);
        RequestContext.Remove(ProofKey);
        if (!fromSilo && !options.Value.TrustClients && !IsClientCallable(context))
        {
            refusals.Add($"{context.InterfaceName}.{context.MethodName}");
            throw new UnauthorizedAccessException(
                $"{context.InterfaceName}.{context.MethodName} is not open to clients; change the network with a signed transaction (ITransactionsGrain or POST /api/transactions)");
        }
        await context.Invoke();
    }

    /// <summary>
    /// Whether a client may make this call. A grain method returning <see cref="IAsyncEnumerable{T}"/> is called through
    /// Orleans' <c>IAsyncEnumerableGrainExtension</c>: its <c>StartEnumeration</c> carries the grain method's request, which
    /// must be client-callable; <c>MoveNext</c> and <c>DisposeAsync</c> only continue an enumeration so started (by its
    /// random request id).
    /// </summary>
    internal static bool IsClientCallable(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType?.FullName != AsyncEnumerableExtension) return IsClientCallable(context.InterfaceMethod);
        if (!context.InterfaceMethod.Name.StartsWith("StartEnumeration", StringComparison.Ordinal)) return true;
        var request = context.Request;
        return request.GetArgumentCount() > 1 && request.GetArgument(1) is IInvokable inner && IsClientCallable(inner.GetMethod());
    }

    private const string AsyncEnumerableExtension = "Orleans.Runtime.IAsyncEnumerableGrainExtension";

    /// <summary>Whether a client may call <paramref name="method"/>: it or its interface is marked <see cref="ClientCallableAttribute"/>.</summary>
    internal static bool IsClientCallable(MethodInfo? method) =>
        method is not null && Open.GetOrAdd(method, m =>
            m.IsDefined(typeof(ClientCallableAttribute), false) || m.DeclaringType?.IsDefined(typeof(ClientCallableAttribute), false) == true
            || OpenRuntimeInterfaces.Contains(m.DeclaringType?.FullName ?? ""));
}

/// <summary>
/// Client calls this silo's gateway allow-list refused: a count per silo (a refused call's reply may never reach a client
/// that forged its address, so this is how an operator or a test knows the call arrived and was refused) and the
/// <c>bittensor.gateway.refused</c> metric by <c>method</c>.
/// </summary>
public sealed class GatewayRefusals
{
    private long _count;

    /// <summary>Calls refused since the silo started.</summary>
    public long Count => Interlocked.Read(ref _count);

    internal void Add(string method)
    {
        Interlocked.Increment(ref _count);
        Telemetry.ChainTelemetry.GatewayRefused.Add(1, new KeyValuePair<string, object?>("method", method));
    }
}

/// <summary>
/// The secret silos of one cluster share to prove a call's silo origin (<c>Orleans:ClusterSecret</c>, at least 32
/// characters; every silo of a cluster must have the same). Without one, a random secret per process: right for a
/// one-silo network and for in-process test clusters; a multi-silo deployment must configure it (see docs/security.md).
/// </summary>
public sealed class ClusterSecret
{
    public const string Key = "Orleans:ClusterSecret";

    private readonly byte[] _proof;

    public ClusterSecret(string? configured)
    {
        if (configured is not null && configured.Length < 32)
            throw new InvalidOperationException($"{Key} must be at least 32 characters");
        Proof = configured ?? Convert.ToHexString(ProcessSecret);
        _proof = Encoding.UTF8.GetBytes(Proof);
    }

    private static readonly byte[] ProcessSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>The value silos put in the request context.</summary>
    internal string Proof { get; }

    /// <summary>Whether <paramref name="candidate"/> is this cluster's proof (constant time).</summary>
    internal bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _proof);
}
