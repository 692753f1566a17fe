using System.Collections.Immutable;
using System.Net;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Publishes the signer hotkey's axon on a subnet.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.ServeAxon")]
    public sealed record ServeAxon : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required string Ip { get; init; }
        [Id(2)] public required ushort Port { get; init; }
        [Id(3)] public byte Protocol { get; init; } = 4;
        [Id(4)] public uint Version { get; init; }
        [Id(5)] public string? Name { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>serve_axon</c>: see <see cref="ServeAxon"/>.</summary>
    public sealed class ServeAxonCall : Extrinsic<ServeAxon>
    {
        public override string Name => "serve_axon";

        public override ServeAxon Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Netuid = a.U16("netuid"), Ip = a.String("ip"), Port = a.U16("port"),
            Protocol = a.OptionalU8("protocol") ?? 4, Version = a.OptionalU32("version") ?? 0,
            Name = a.OptionalString("name"),
        };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, ServeAxon a)
        {
            var s = await plan.SubnetAsync(a.Netuid);
            if (s is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {a.Netuid}");
            if (s.UidOf(a.Signer) < 0) return Fail(plan, Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {a.Netuid}");
            if (!IPAddress.TryParse(a.Ip, out _)) return Fail(plan, Codes.InvalidIpAddress, $"'{a.Ip}' is not an IPv4 or IPv6 address");
            if (a.Port == 0) return Fail(plan, Codes.InvalidPort, "port must be 1..65535");
            if (a.Name is { Length: > 64 }) return Fail(plan, Codes.InvalidAddress, "name must be at most 64 characters");
            ulong block = plan.Chain.Block, limit = s.Hyper.ServingRateLimit;
            // subtensor's axon_passes_rate_limit: a hotkey's first serve (block 0 there, none here) always passes.
            if (limit > 0 && (await plan.HotkeyAsync(a.Signer)).Axons.TryGetValue(a.Netuid, out var served) && block - Math.Min(block, served.Block) < limit)
                return Fail(plan, Codes.ServingRateLimitExceeded,
                    $"the hotkey served its axon on subnet {a.Netuid} at block {served.Block}; serving_rate_limit is {limit} blocks, the next from block {served.Block + limit}",
                    served.Block + limit);
            var axon = new AxonInfo(a.Ip, a.Port, a.Protocol, a.Version, block, a.Name);
            await plan.HotkeyAsync(a.Signer, new HotkeyChange { Axon = (a.Netuid, axon) });
            await plan.SubnetAsync(a.Netuid, new SetAxon(a.Signer, axon));
            plan.Emit(new ChainEvent { Kind = EventKinds.AxonServed, Hotkey = a.Signer, Netuid = a.Netuid, Value = FormattableString.Invariant($"{a.Ip}:{a.Port}") });
            return Done(plan, netuid: a.Netuid);
        }
    }
}
