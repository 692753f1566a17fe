using Orleans.Configuration;

namespace Bittensor.Silo.Hosting;

/// <summary>How a silo of a multi-silo cluster is reached and how fast it notices a dead peer.</summary>
public static class ClusterHosting
{
    /// <summary>True inside a Kubernetes pod that was given its name and IP (the manifests in infra/k8s pass them).</summary>
    public static bool InKubernetes(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(environment("POD_NAME"))
        && !string.IsNullOrEmpty(environment("POD_IP"));

    /// <summary>
    /// Identity, endpoints and failure detection from <paramref name="settings"/>: the advertised address is the setting, else
    /// loopback in Development, else the pod's or the host's address; in a Kubernetes pod, Orleans' Kubernetes hosting also
    /// names the silo after its pod and removes silos whose pods are gone.
    /// </summary>
    public static ISiloBuilder UseClusterSettings(this ISiloBuilder silo, ClusterSettings settings, IHostEnvironment host)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        var address = settings.ResolveAdvertisedAddress(host.IsDevelopment(), Environment.GetEnvironmentVariable);
        silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, settings.ListenOnAnyHostAddress);
        silo.UseMembershipSettings(settings.Membership);
        if (InKubernetes(Environment.GetEnvironmentVariable)) silo.UseKubernetesHosting();
        return silo;
    }

    /// <summary>Probe period and limits, votes and table refresh (see <see cref="MembershipSettings"/> for the trade-off).</summary>
    public static ISiloBuilder UseMembershipSettings(this ISiloBuilder silo, MembershipSettings m) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = m.ProbeTimeout;
            o.NumMissedProbesLimit = m.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = m.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = m.TableRefreshTimeout;
        });
}
