using System.Net;

namespace Bittensor.Cloud.Tests;

/// <summary>The <c>Orleans</c> settings a silo or worker validates at start.</summary>
public sealed class ClusterSettingsTests
{
    private static ClusterSettings Bind(params (string Key, string Value)[] settings)
    {
        var map = settings.ToDictionary(s => s.Key, s => s.Value);
        return ClusterSettings.Bind(k => map.GetValueOrDefault(k));
    }

    [Fact]
    public void Defaults_AreValid_AndDetectADeadSiloInAboutTwoSeconds()
    {
        var s = Bind();
        Assert.Empty(s.Validate());
        Assert.Equal(("bittensor", "bittensor", 11111, 30000), (s.ClusterId, s.ServiceId, s.SiloPort, s.GatewayPort));
        Assert.Equal(TimeSpan.FromSeconds(2), s.Membership.ProbeTimeout * s.Membership.NumMissedProbesLimit);
    }

    [Fact]
    public void BadSettings_AreAllNamed_InOneError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Bind(
            ("Orleans:AdvertisedIPAddress", "silo-1"), ("Orleans:SiloPort", "70000"), ("Orleans:GatewayPort", "x"),
            ("Orleans:ClusterId", "a\tb"), ("Orleans:Gateways", "10.0.0.1:30000,nohost"), ("Orleans:Membership:ProbeTimeout", "00:00:00.010")));
        foreach (var name in new[] { "AdvertisedIPAddress", "SiloPort", "GatewayPort", "ClusterId", "Gateways", "ProbeTimeout" })
            Assert.Contains($"Orleans:{(name == "ProbeTimeout" ? "Membership:" : "")}{name}", e.Message);
    }

    [Fact]
    public void AdvertisedAddress_IsTheSetting_ElseLoopbackInDevelopment_ElseThePod_ElseTheHost()
    {
        Assert.Equal(IPAddress.Parse("10.1.2.3"), Bind(("Orleans:AdvertisedIPAddress", "10.1.2.3")).ResolveAdvertisedAddress(true, _ => null));
        Assert.Equal(IPAddress.Loopback, Bind().ResolveAdvertisedAddress(development: true, _ => "10.9.9.9"));
        Assert.Equal(IPAddress.Parse("10.9.9.9"), Bind().ResolveAdvertisedAddress(false, v => v == "POD_IP" ? "10.9.9.9" : null));
        Assert.Equal(ClusterSettings.HostAddress() ?? IPAddress.Loopback, Bind().ResolveAdvertisedAddress(false, _ => null));
    }

    [Theory]
    [InlineData("10.0.0.5:30000", true)]
    [InlineData("bittensor-gateway.bittensor.svc.cluster.local:30000", true)]
    [InlineData("[::1]:30000", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("10.0.0.5:0", false)]
    [InlineData(":30000", false)]
    public void Gateways_AreHostColonPort(string gateway, bool valid) =>
        Assert.Equal(valid, ClusterSettings.TryParseEndpoint(gateway, out _));
}
