namespace Bittensor.Grains.Tests;

/// <summary>An epoch landing credits miners without reading their hotkeys; what the plan reads afterwards includes the credits.</summary>
public sealed class BlindCreditTests
{
    private sealed class Source : IStateSource
    {
        public Dictionary<string, HotkeyState> Hotkeys { get; } = [];
        public int HotkeyReads { get; private set; }

        public ValueTask<AccountState> AccountAsync(string address) => ValueTask.FromResult(new AccountState());

        public ValueTask<HotkeyState> HotkeyAsync(string address)
        {
            HotkeyReads++;
            return ValueTask.FromResult(Hotkeys.TryGetValue(address, out var s) ? s : new HotkeyState());
        }

        public ValueTask<SubnetState?> SubnetAsync(ushort netuid) => ValueTask.FromResult<SubnetState?>(null);
    }

    private static HotkeyChange Stake(ushort netuid, string coldkey, long alpha) => new() { Stakes = [new StakeDelta(netuid, coldkey, alpha)] };

    [Fact]
    public async Task ACredit_IsRecordedUnread_AndIsInWhatThePlanReadsLater()
    {
        var source = new Source();
        source.Hotkeys["miner"] = new HotkeyState { Owner = "cold", Indexed = true, Stakes = { ["1|cold"] = 100 } };
        var plan = new ChainPlan(new ChainState(), source, new ChainRules());

        await plan.CreditHotkeyAsync("miner", Stake(1, "cold", 5));
        await plan.CreditHotkeyAsync("miner", Stake(2, "cold", 7));
        Assert.Equal(0, source.HotkeyReads);
        Assert.Equal(2, plan.Commands.OfType<HotkeyCommand>().Count(c => c.Address == "miner"));
        Assert.DoesNotContain(plan.Commands, c => c is IndexCommand);

        var read = await plan.HotkeyAsync("miner");
        Assert.Equal(105UL, read.Stakes["1|cold"]);
        Assert.Equal(7UL, read.Stakes["2|cold"]);

        // Once read, a credit goes through the ordinary path: the copy and the commands agree.
        await plan.CreditHotkeyAsync("miner", Stake(1, "cold", 1));
        Assert.Equal(106UL, (await plan.HotkeyAsync("miner")).Stakes["1|cold"]);
        Assert.Equal(1, source.HotkeyReads);
    }

    [Fact]
    public async Task ABlindChange_OnlyAddsStake()
    {
        var plan = new ChainPlan(new ChainState(), new Source(), new ChainRules());
        await Assert.ThrowsAsync<ArgumentException>(() => plan.CreditHotkeyAsync("miner", Stake(1, "cold", -1)).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => plan.CreditHotkeyAsync("miner", new HotkeyChange { Owner = "cold" }).AsTask());
        Assert.Empty(plan.Commands);
    }
}
