using Bittensor.Runtime.Extrinsics;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Weight-based transaction fees as subtensor charges them (issue 9): taken from the signer's free balance before the
/// call runs, burned (the issuance goes down by the fee), counted by the audit; a transaction that cannot pay is refused
/// <c>CannotPayFee</c> and changes nothing; a refused transaction pays nothing; <c>Pays::No</c> calls are free.
/// </summary>
public sealed class FeeTests
{
    private static InMemoryChain Chain(ulong weightFee = Fees.SubtensorWeightFee) =>
        new(new ChainRules { Id = "fees", Faucet = true, MinLockCost = 100 * Tao.Rao, NetworkRateLimit = 0, ServingRateLimit = 0, WeightFee = weightFee }, 1_000_000 * Tao.Rao);

    private static async Task<OpResult> Ok(InMemoryChain chain, Operation op)
    {
        var r = await chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        return r;
    }

    private static string Snapshot(InMemoryChain chain, params string[] accounts)
    {
        var s = chain.State;
        return string.Join("|", [s.TotalIssuance, s.FreeTotal, s.FeesBurned, .. accounts.Select(a => $"{chain.Account(a).Balance}/{chain.Account(a).Nonce}")]);
    }

    /// <summary>(ExtrinsicBaseWeight + the call's weights.rs weight) × 0.0005 rao, pinned per call; Pays::No calls pay 0.</summary>
    [Fact]
    public void TheFeeTable_IsSubtensorsWeights()
    {
        var expected = new Dictionary<string, ulong>
        {
            ["add_stake"] = 1_594_532, ["add_stake_limit"] = 1_689_002, ["burned_register"] = 2_105_907, ["claim_root"] = 531_999, ["move_stake"] = 758_030,
            ["register_network"] = 3_101_062, ["remove_stake"] = 1_347_099, ["remove_stake_limit"] = 1_420_348,
            ["root_register"] = 1_151_967, ["set_root_claim_type"] = 296_641,
            ["set_children"] = 1_747_000, ["set_childkey_take"] = 276_935, ["set_hyperparameter"] = 176_816, ["set_subnet_identity"] = 133_756,
            ["start_call"] = 244_727, ["sudo_set_sn_owner_hotkey"] = 200_343, ["swap_stake"] = 2_221_009, ["swap_stake_limit"] = 2_322_257, ["transfer"] = 143_971,
            ["transfer_stake"] = 729_270, ["unstake_all"] = 150_915, ["unstake_all_alpha"] = 2_200_436,
            // Pays::No on subtensor: weights, serving, take changes, the faucet.
            ["batch_reveal_weights"] = 0, ["commit_timelocked_weights"] = 0, ["commit_weights"] = 0, ["decrease_take"] = 0, ["faucet"] = 0, ["increase_take"] = 0,
            ["reveal_weights"] = 0, ["serve_axon"] = 0, ["set_take"] = 0, ["set_weights"] = 0,
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Calls.Names); // every call is priced here
        foreach (var call in Calls.All)
        {
            Assert.Equal(expected[call.Name], Fees.Of(call, Fees.SubtensorWeightFee));
            Assert.Equal(0UL, Fees.Of(call, 0));
        }
    }

    [Fact]
    public async Task APayingCall_PaysItsFee_WhichIsBurned_AndTheAuditHolds()
    {
        var chain = Chain();
        var faucet = await Ok(chain, new Faucet { Signer = "alice", Amount = 10 * Tao.Rao });
        Assert.Equal(0UL, faucet.Fee);
        ulong issuance = chain.State.TotalIssuance;
        var sent = await Ok(chain, new Transfer { Signer = "alice", Dest = "bob", Amount = Tao.Rao });
        Assert.Equal(143_971UL, sent.Fee);
        Assert.Equal(10 * Tao.Rao - Tao.Rao - sent.Fee, chain.Account("alice").Balance);
        Assert.Equal(Tao.Rao, chain.Account("bob").Balance);
        Assert.Equal(issuance - sent.Fee, chain.State.TotalIssuance);
        Assert.Equal(sent.Fee, chain.State.FeesBurned);
        Assert.True(chain.Conserved());
    }

    [Fact]
    public async Task ATransactionThatCannotPayItsFee_IsRefused_CannotPayFee_AndChangesNothing()
    {
        var chain = Chain();
        await Ok(chain, new Faucet { Signer = "alice", Amount = 143_970 }); // one rao short of a transfer's fee
        string before = Snapshot(chain, "alice", "bob");
        var refused = await chain.ExecuteAsync(new Transfer { Signer = "alice", Dest = "bob", Amount = 1 });
        Assert.Equal(Codes.CannotPayFee, refused.Code);
        Assert.Equal(402, Codes.HttpStatus(refused.Code!));
        Assert.Equal(before, Snapshot(chain, "alice", "bob"));
        // The same call with one more rao pays the fee and nothing is left over for the amount: the call sees the balance after the fee.
        await Ok(chain, new Faucet { Signer = "alice", Amount = 1 });
        var broke = await chain.ExecuteAsync(new Transfer { Signer = "alice", Dest = "bob", Amount = 1 });
        Assert.Equal(Codes.InsufficientBalance, broke.Code);
        Assert.Equal(143_971UL, chain.Account("alice").Balance);
    }

    [Fact]
    public async Task ARefusedTransaction_PaysNothing_AndAFreeCallPaysNothing()
    {
        var chain = Chain();
        await Ok(chain, new Faucet { Signer = "alice", Amount = 10 * Tao.Rao });
        string before = Snapshot(chain, "alice", "bob");
        var refused = await chain.ExecuteAsync(new Transfer { Signer = "alice", Dest = "bob", Amount = 11 * Tao.Rao });
        Assert.Equal(Codes.InsufficientBalance, refused.Code);
        Assert.Equal(0UL, refused.Fee);
        Assert.Equal(before, Snapshot(chain, "alice", "bob"));
        // The whole balance cannot be sent: the fee comes first.
        Assert.Equal(Codes.InsufficientBalance, (await chain.ExecuteAsync(new Transfer { Signer = "alice", Dest = "bob", Amount = 10 * Tao.Rao })).Code);
        var all = await Ok(chain, new Transfer { Signer = "alice", Dest = "bob", Amount = 10 * Tao.Rao - 143_971 });
        Assert.Equal(0UL, chain.Account("alice").Balance);
        Assert.Equal(143_971UL, all.Fee);

        // A hotkey with no TAO serves its axon and sets weights: those calls do not pay (Pays::No on subtensor).
        await Ok(chain, new Faucet { Signer = "owner", Amount = 1_000 * Tao.Rao });
        ushort netuid = (await Ok(chain, new RegisterNetwork { Signer = "owner", Hotkey = "owner-hot" })).Netuid!.Value;
        Assert.Equal(0UL, chain.Account("owner-hot").Balance);
        var served = await Ok(chain, new ServeAxon { Signer = "owner-hot", Netuid = netuid, Ip = "10.0.0.1", Port = 1 });
        Assert.Equal(0UL, served.Fee);
        Assert.True(chain.Conserved());
    }

    [Fact]
    public async Task WithFeesOff_NothingIsCharged()
    {
        var chain = Chain(weightFee: 0);
        await Ok(chain, new Faucet { Signer = "alice", Amount = 10 * Tao.Rao });
        var sent = await Ok(chain, new Transfer { Signer = "alice", Dest = "bob", Amount = 10 * Tao.Rao });
        Assert.Equal(0UL, sent.Fee);
        Assert.Equal(0UL, chain.State.FeesBurned);
    }

    /// <summary>A seeded random mix of paying, free and refused calls over blocks: after each, TAO balances to the rao.</summary>
    [Fact]
    public async Task ARandomSequence_WithFees_ConservesTao_AndBurnsExactlyTheFeesPaid()
    {
        var chain = Chain();
        var rng = new Random(9);
        string[] colds = ["c0", "c1", "c2", "c3"];
        foreach (var c in colds) await Ok(chain, new Faucet { Signer = c, Amount = 2_000 * Tao.Rao });
        ushort netuid = (await Ok(chain, new RegisterNetwork { Signer = "c0", Hotkey = "c0-hot" })).Netuid!.Value;
        ulong paid = 3_101_062, issuanceBefore = chain.State.TotalIssuance + paid, minted = 0;
        for (int step = 0; step < 300; step++)
        {
            string cold = colds[rng.Next(colds.Length)], other = colds[rng.Next(colds.Length)];
            string hot = $"{cold}-hot";
            ulong amount = (ulong)rng.NextInt64(1, 50 * (long)Tao.Rao);
            Operation op = rng.Next(7) switch
            {
                0 => new Transfer { Signer = cold, Dest = other, Amount = amount },
                1 => new BurnedRegister { Signer = cold, Netuid = netuid, Hotkey = hot },
                2 => new AddStake { Signer = cold, Hotkey = hot, Netuid = netuid, Amount = amount },
                3 => new RemoveStake { Signer = cold, Hotkey = hot, Netuid = netuid, Amount = amount / 2 },
                4 => new ServeAxon { Signer = hot, Netuid = netuid, Ip = "10.0.0.1", Port = 1 },
                5 => new Transfer { Signer = cold, Dest = other, Amount = 5_000 * Tao.Rao }, // refused: pays nothing
                _ => new SetHyperparameter { Signer = "c0", Netuid = netuid, Name = "immunity_period", Value = "100" },
            };
            ulong issuance = chain.State.TotalIssuance;
            var r = await chain.ExecuteAsync(op);
            Assert.Equal(r.Ok ? Fees.Of(op, chain.Rules) : 0, r.Fee);
            Assert.Equal(issuance - r.Fee, chain.State.TotalIssuance);
            paid += r.Fee;
            Assert.True(chain.Conserved(), $"step {step}: {op.GetType().Name} broke conservation");
            if (rng.Next(4) == 0)
            {
                ulong before = chain.State.TotalIssuance;
                await chain.ProduceBlockAsync();
                minted += chain.State.TotalIssuance - before;
            }
        }
        Assert.True(paid > 3_101_062);
        Assert.Equal(paid, chain.State.FeesBurned);
        Assert.Equal(issuanceBefore + minted - paid, chain.State.TotalIssuance);
    }
}
