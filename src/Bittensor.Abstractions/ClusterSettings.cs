using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Bittensor;

/// <summary>
/// Where a silo is reached and which cluster it joins (section <c>Orleans</c>); workers read the same section to find the
/// cluster. Validated at start by <see cref="Validate"/>, which names every bad setting at once.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";

    /// <summary>The deployment: silos and clients with the same cluster id form one cluster (one membership table partition).</summary>
    public string ClusterId { get; set; } = "bittensor";

    /// <summary>The service: grain state is keyed by it, so it must stay the same across deployments and upgrades.</summary>
    public string ServiceId { get; set; } = "bittensor";

    /// <summary>
    /// The address other silos and clients reach this silo at. Default: loopback in Development; otherwise the pod's IP in
    /// Kubernetes (<c>POD_IP</c>), else the host's first operational non-loopback IPv4 address.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client (gateway) port: workers connect here.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Bind the silo and gateway ports on every interface (containers behind NAT) instead of the advertised address only.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>
    /// Workers only: gateways as <c>host:port</c>, comma-separated (static clustering, no table). Empty: the clustering table
    /// when <c>Storage:Kind=AzureTable</c>, else the development silo on localhost.
    /// </summary>
    public string? Gateways { get; set; }

    /// <summary>
    /// Workers only: how long a call may wait for its answer (Orleans' default: 30 s). A call caught on a silo that died is
    /// answered by this timeout, so it bounds how long a worker stalls in a failover; worker calls take well under 5 s.
    /// </summary>
    public TimeSpan ClientResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failure detection and gateway refresh (section <c>Orleans:Membership</c>); see docs/benchmarks.md for the trade-off.</summary>
    public MembershipSettings Membership { get; set; } = new();

    /// <summary>Reads the section through <paramref name="get"/> (a configuration lookup by key) and validates it; throws naming every bad setting.</summary>
    public static ClusterSettings Bind(Func<string, string?> get)
    {
        var s = new ClusterSettings
        {
            ClusterId = get($"{Section}:{nameof(ClusterId)}") ?? "bittensor",
            ServiceId = get($"{Section}:{nameof(ServiceId)}") ?? "bittensor",
            AdvertisedIPAddress = get($"{Section}:{nameof(AdvertisedIPAddress)}"),
            Gateways = get($"{Section}:{nameof(Gateways)}"),
        };
        var errors = new List<string>();
        s.SiloPort = Parse(get, nameof(SiloPort), s.SiloPort, errors);
        s.GatewayPort = Parse(get, nameof(GatewayPort), s.GatewayPort, errors);
        s.ListenOnAnyHostAddress = Parse(get, nameof(ListenOnAnyHostAddress), false, errors);
        s.ClientResponseTimeout = Parse(get, nameof(ClientResponseTimeout), s.ClientResponseTimeout, errors);
        var m = s.Membership;
        m.ProbeTimeout = Parse(get, "Membership:ProbeTimeout", m.ProbeTimeout, errors);
        m.NumMissedProbesLimit = Parse(get, "Membership:NumMissedProbesLimit", m.NumMissedProbesLimit, errors);
        m.NumVotesForDeathDeclaration = Parse(get, "Membership:NumVotesForDeathDeclaration", m.NumVotesForDeathDeclaration, errors);
        m.TableRefreshTimeout = Parse(get, "Membership:TableRefreshTimeout", m.TableRefreshTimeout, errors);
        m.GatewayListRefreshPeriod = Parse(get, "Membership:GatewayListRefreshPeriod", m.GatewayListRefreshPeriod, errors);
        errors.AddRange(s.Validate());
        if (errors.Count > 0)
            throw new InvalidOperationException("Invalid cluster settings: " + string.Join("; ", errors));
        return s;
    }

    /// <summary>Every rule the settings break, each naming its setting (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsId(ClusterId)) errors.Add($"{Section}:ClusterId '{ClusterId}' must be 1-128 characters, none of them control characters");
        if (!IsId(ServiceId)) errors.Add($"{Section}:ServiceId '{ServiceId}' must be 1-128 characters, none of them control characters");
        if (AdvertisedIPAddress is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
            errors.Add($"{Section}:AdvertisedIPAddress '{ip}' is not an IP address");
        if (SiloPort is < 1 or > 65535) errors.Add($"{Section}:SiloPort {SiloPort} is not a port (1-65535)");
        if (GatewayPort is < 1 or > 65535) errors.Add($"{Section}:GatewayPort {GatewayPort} is not a port (1-65535)");
        if (SiloPort == GatewayPort) errors.Add($"{Section}:SiloPort and {Section}:GatewayPort must differ (both {SiloPort})");
        if (ClientResponseTimeout < TimeSpan.FromSeconds(1)) errors.Add($"{Section}:ClientResponseTimeout {ClientResponseTimeout} must be at least 1 s");
        foreach (var g in GatewayList())
            if (!TryParseEndpoint(g, out _)) errors.Add($"{Section}:Gateways entry '{g}' is not host:port");
        errors.AddRange(Membership.Validate());
        return errors;
    }

    /// <summary>The configured gateways, trimmed.</summary>
    public IReadOnlyList<string> GatewayList() =>
        (Gateways ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The address to advertise: the setting, else loopback in Development, else <c>POD_IP</c>, else the host's address.</summary>
    public IPAddress ResolveAdvertisedAddress(bool development, Func<string, string?> environment)
    {
        if (AdvertisedIPAddress is { Length: > 0 } ip) return IPAddress.Parse(ip);
        if (development) return IPAddress.Loopback;
        if (IPAddress.TryParse(environment("POD_IP"), out var pod)) return pod;
        return HostAddress() ?? IPAddress.Loopback;
    }

    /// <summary>The first operational, non-loopback IPv4 address of this host (preferring interfaces with a gateway), or null.</summary>
    public static IPAddress? HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(n => n.GetIPProperties())
            .OrderByDescending(p => p.GatewayAddresses.Count > 0)
            .SelectMany(p => p.UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    /// <summary>Parses <c>host:port</c> (an IP address or a DNS name).</summary>
    public static bool TryParseEndpoint(string text, out (string Host, int Port) endpoint)
    {
        endpoint = default;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return false;
        string host = text[..colon].Trim('[', ']');
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown) return false;
        endpoint = (host, port);
        return true;
    }

    /// <summary>Ids are free text to Orleans (it escapes them in table keys), and Aspire generates them with symbols; only length and control characters are checked.</summary>
    private static bool IsId(string id) =>
        id.Length is >= 1 and <= 128 && !id.Any(char.IsControl);

    private static T Parse<T>(Func<string, string?> get, string name, T fallback, List<string> errors) where T : IParsable<T>
    {
        string? text = get($"{Section}:{name}");
        if (string.IsNullOrEmpty(text)) return fallback;
        if (T.TryParse(text, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add($"{Section}:{name} '{text}' is not a valid {typeof(T).Name}");
        return fallback;
    }
}
