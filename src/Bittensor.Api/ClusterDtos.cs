namespace Bittensor.Api;

/// <summary>GET /api/cluster: the cluster's identity, its silos, and the address of the chain grain's silo (null while it is not active).</summary>
public sealed record ClusterDto(string ClusterId, string ServiceId, string? ChainHost, IReadOnlyList<SiloDto> Silos);

/// <summary>A silo of the cluster: its address (<c>ip:port@generation</c>), name, host, status (Active, ShuttingDown, Dead, ...), start and last heartbeat.</summary>
public sealed record SiloDto(string Address, string Name, string Host, string Status, DateTimeOffset StartedAt, DateTimeOffset LastAlive, bool HostsChain);
