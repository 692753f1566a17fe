namespace Bittensor.Grains.Tests;

/// <summary>
/// Owner hyperparameters as subtensor's admin-utils has them (issue 9): root-only ones need the sudo key, owners change a
/// parameter at most once per 2 tempos and not in the freeze window before an epoch, and setting tempo never resets the
/// epoch clock.
/// </summary>
public sealed class HyperparameterRulesTests
{
    private const string Owner = "owner", Sudo = "root";
    private const ushort Netuid = 1;

    private static async Task<InMemoryChain> ChainWithSubnetAsync(ulong tempo = 360)
    {
        var chain = new InMemoryChain(new ChainRules { Id = "rules", Faucet = true, StartSubnetsAtCreation = true, NewSubnetTempo = tempo, MinLockCost = 100 * Tao.Rao, Sudo = Sudo, WeightFee = 0 }, 1_000_000 * Tao.Rao);
        Assert.True((await chain.ExecuteAsync(new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao })).Ok);
        Assert.True((await chain.ExecuteAsync(new RegisterNetwork { Signer = Owner, Hotkey = "owner-hot" })).Ok);
        return chain;
    }

    private static Task<OpResult> Set(InMemoryChain chain, string signer, string name, string value) =>
        chain.ExecuteAsync(new SetHyperparameter { Signer = signer, Netuid = Netuid, Name = name, Value = value });

    private static async Task BlocksAsync(InMemoryChain chain, ulong count)
    {
        for (ulong i = 0; i < count; i++) await chain.ProduceBlockAsync();
    }

    /// <summary>Moves to a block well clear of the next epoch's freeze window.</summary>
    private static async Task ClearOfFreezeAsync(InMemoryChain chain)
    {
        var e = chain.State.Subnets[Netuid];
        while (e.LastEpochBlock + e.Hyper.Tempo - chain.State.Block <= 20)
        {
            await chain.ProduceBlockAsync();
            e = chain.State.Subnets[Netuid];
        }
    }

    [Theory]
    [InlineData("kappa", "40000")]
    [InlineData("tempo", "400")]
    [InlineData("weights_rate_limit", "0")]
    [InlineData("max_allowed_validators", "32")]
    public async Task RootOnlyHyperparameters_AreRefusedToTheOwner_AndSetByTheSudoKey(string name, string value)
    {
        var chain = await ChainWithSubnetAsync();
        await ClearOfFreezeAsync(chain);
        var before = chain.State.Subnets[Netuid].Hyper;
        var refused = await Set(chain, Owner, name, value);
        Assert.Equal(Codes.RootOnlyHyperparameter, refused.Code);
        Assert.Equal(before, chain.State.Subnets[Netuid].Hyper);
        Assert.Equal(Codes.NotOwner, (await Set(chain, "stranger", name, value)).Code);
        Assert.True((await Set(chain, Sudo, name, value)).Ok);
        Assert.NotEqual(before, chain.State.Subnets[Netuid].Hyper);
    }

    [Fact]
    public async Task AnOwnerSetsAParameter_AtMostOncePerTwoTempos()
    {
        var chain = await ChainWithSubnetAsync(tempo: 360);
        await ClearOfFreezeAsync(chain);
        Assert.True((await Set(chain, Owner, "immunity_period", "100")).Ok);
        ulong setAt = chain.State.Block;
        var limited = await Set(chain, Owner, "immunity_period", "200");
        Assert.Equal(Codes.HyperparameterRateLimited, limited.Code);
        Assert.Equal(setAt + 720, limited.NextAllowedBlock);
        Assert.True((await Set(chain, Owner, "min_allowed_weights", "2")).Ok); // another parameter is not limited
        Assert.True((await Set(chain, Sudo, "immunity_period", "300")).Ok); // nor is root
        Assert.Equal(300UL, chain.State.Subnets[Netuid].Hyper.ImmunityPeriod);
    }

    [Fact]
    public async Task Owners_CannotChangeHyperparameters_InTheFreezeWindowBeforeAnEpoch()
    {
        var chain = await ChainWithSubnetAsync(tempo: 360);
        var e = chain.State.Subnets[Netuid];
        ulong epoch = e.LastEpochBlock + e.Hyper.Tempo;
        await BlocksAsync(chain, epoch - 5 - chain.State.Block); // five blocks before the epoch
        var frozen = await Set(chain, Owner, "immunity_period", "100");
        Assert.Equal(Codes.AdminActionProhibitedDuringWeightsWindow, frozen.Code);
        Assert.Equal(epoch + 1, frozen.NextAllowedBlock);
        Assert.True((await Set(chain, Sudo, "immunity_period", "100")).Ok);
    }

    [Fact]
    public async Task SettingTempo_DoesNotResetTheEpochClock()
    {
        var chain = await ChainWithSubnetAsync(tempo: 360);
        await ClearOfFreezeAsync(chain);
        ulong last = chain.State.Subnets[Netuid].LastEpochBlock;
        Assert.True((await Set(chain, Sudo, "tempo", "360")).Ok);
        Assert.Equal(last, chain.State.Subnets[Netuid].LastEpochBlock);
        await BlocksAsync(chain, last + 360 - chain.State.Block);
        Assert.Equal(last + 360, chain.State.Subnets[Netuid].LastEpochBlock); // the epoch ran when it was due
    }
}
