// The saturating scenario of docs/qdiscs.md on ns-3's traffic-control module: a UDP constant-bit-rate source of
// 12 Mbit/s by default (--rate; 972-byte payloads: 1,000-byte IP packets, 1,002 bytes on the point-to-point wire) into a 10 Mbit/s,
// 50 ms bottleneck whose queue disc is CoDel, FqCoDel or RED, for 10 s of sending. Prints one line:
//   qdisc=<name> received=<n> dropped=<n> delivered=<n> meanSojournNs=<x>
// The device queue holds 1 packet so that the queue disc holds the backlog (as a Linux qdisc over a NIC ring).
// Build (the headers are under /usr/include/ns3; do not add it to -I: its string.h hides the C library's):
//   g++ -O2 -std=c++17 qdisc-saturation.cc -o qdisc-saturation \
//   -lns3-core -lns3-network -lns3-internet -lns3-point-to-point -lns3-applications -lns3-traffic-control
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <iostream>

using namespace ns3;

static uint64_t g_departed = 0;
static double g_sojournSumNs = 0;

static void
Sojourn(Time t)
{
    g_departed++;
    g_sojournSumNs += t.GetNanoSeconds();
}

int
main(int argc, char* argv[])
{
    std::string qdisc = "CoDel";
    double seconds = 10;
    std::string rate = "12Mbps";
    CommandLine cmd;
    cmd.AddValue("qdisc", "CoDel, FqCoDel or RED", qdisc);
    cmd.AddValue("seconds", "how long the source sends", seconds);
    cmd.AddValue("rate", "the source's constant bit rate", rate);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("50ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    NetDeviceContainer devices = p2p.Install(nodes);

    InternetStackHelper stack;
    stack.Install(nodes);

    TrafficControlHelper tch;
    if (qdisc == "CoDel") {
        tch.SetRootQueueDisc("ns3::CoDelQueueDisc", "MaxSize", StringValue("1000p"));
    } else if (qdisc == "FqCoDel") {
        tch.SetRootQueueDisc("ns3::FqCoDelQueueDisc", "MaxSize", StringValue("10240p"));
    } else if (qdisc == "RED") {
        tch.SetRootQueueDisc("ns3::RedQueueDisc", "MaxSize", StringValue("25p"), "MinTh", DoubleValue(5),
                             "MaxTh", DoubleValue(15), "LinkBandwidth", StringValue("10Mbps"), "MeanPktSize",
                             UintegerValue(1000));
    } else {
        std::cerr << "unknown qdisc " << qdisc << std::endl;
        return 2;
    }
    QueueDiscContainer qdiscs = tch.Install(devices.Get(0));

    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = address.Assign(devices);

    uint16_t port = 9;
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinkApp = sink.Install(nodes.Get(1));
    sinkApp.Start(Seconds(0));

    OnOffHelper source("ns3::UdpSocketFactory", InetSocketAddress(interfaces.GetAddress(1), port));
    source.SetConstantRate(DataRate(rate), 972);
    ApplicationContainer sourceApp = source.Install(nodes.Get(0));
    sourceApp.Start(Seconds(0));
    sourceApp.Stop(Seconds(seconds));

    Ptr<QueueDisc> q = qdiscs.Get(0);
    q->TraceConnectWithoutContext("SojournTime", MakeCallback(&Sojourn));

    Simulator::Stop(Seconds(seconds + 5));
    Simulator::Run();
    QueueDisc::Stats st = q->GetStats();
    uint64_t delivered = DynamicCast<PacketSink>(sinkApp.Get(0))->GetTotalRx() / 972;
    std::cout << "qdisc=" << qdisc << " received=" << st.nTotalReceivedPackets
              << " dropped=" << st.nTotalDroppedPackets << " delivered=" << delivered
              << " meanSojournNs=" << (g_departed == 0 ? 0 : g_sojournSumNs / g_departed) << std::endl;
    Simulator::Destroy();
    return 0;
}
