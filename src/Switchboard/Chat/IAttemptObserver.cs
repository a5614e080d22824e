namespace Switchboard.Chat;

/// <summary>Told about every attempt the router makes (the ledger and telemetry implement it). Must not block or throw.</summary>
public interface IAttemptObserver
{
    void OnAttempt(AttemptRecord attempt);
}
