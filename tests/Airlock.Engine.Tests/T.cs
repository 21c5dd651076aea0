namespace Airlock.Engine.Tests; public class T { [Xunit.Fact] public void A() { } }
