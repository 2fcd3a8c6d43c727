// ns-3 (3.37) counterpart of the first-run benchmark's paced flow (FirstRunBenchmark, scenario "paced"):
// one UDP flow of 1,200-byte datagrams paced by a timer at 12 Mbit/s into a point-to-point link of 10 Mbit/s and
// 50 ms one-way delay with a 1,000-packet drop-tail queue (the virtual link's default), for 60 s of simulated time.
// Prints what it measured on one line:
//   ns3-paced-flow sent=<n> received=<n> setup_ms=<wall> run_ms=<wall> total_ms=<wall>
// Build and run (see netty-virtual-benchmarks/README.md):
//   bash netty-virtual-benchmarks/ns3/paced-flow/run.sh [runs]
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <cstdio>

using namespace ns3;

int main(int argc, char *argv[]) {
    double seconds = 60;
    CommandLine cmd;
    cmd.AddValue("seconds", "simulated seconds", seconds);
    cmd.Parse(argc, argv);

    auto t0 = std::chrono::steady_clock::now();
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("50ms"));
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1000p"));
    NetDeviceContainer devices = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper address;
    address.SetBase("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = address.Assign(devices);
    // Assign installs a pfifo_fast queue disc in front of each device; the virtual link has one queue only.
    TrafficControlHelper tch;
    tch.Uninstall(devices);

    UdpServerHelper server(9000);
    ApplicationContainer serverApps = server.Install(nodes.Get(1));
    serverApps.Start(Seconds(0));
    serverApps.Stop(Seconds(seconds + 1));
    UdpClientHelper client(interfaces.GetAddress(1), 9000);
    client.SetAttribute("MaxPackets", UintegerValue(0xFFFFFFFF));
    client.SetAttribute("Interval", TimeValue(MicroSeconds(800))); // 1,200 B every 800 us: 12 Mbit/s
    client.SetAttribute("PacketSize", UintegerValue(1200));
    ApplicationContainer clientApps = client.Install(nodes.Get(0));
    clientApps.Start(Seconds(0));
    clientApps.Stop(Seconds(seconds));
    Simulator::Stop(Seconds(seconds));

    auto t1 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t2 = std::chrono::steady_clock::now();
    uint64_t sent = (uint64_t) (seconds / 800e-6); // the client's schedule: one datagram per interval
    uint64_t received = DynamicCast<UdpServer>(serverApps.Get(0))->GetReceived();
    Simulator::Destroy();
    auto t3 = std::chrono::steady_clock::now();
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::printf("ns3-paced-flow sent=%llu received=%llu setup_ms=%.1f run_ms=%.1f total_ms=%.1f\n",
                (unsigned long long) sent, (unsigned long long) received, ms(t0, t1), ms(t1, t2), ms(t0, t3));
    return 0;
}
