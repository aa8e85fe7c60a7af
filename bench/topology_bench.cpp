// The topology at 1,000 services and 3,000 edges: the layout pass, one paint of the whole graph,
// and applying one metrics refresh (new figures on every node and edge), as the desktop app does
// them. Prints each against the goal it has (issue 7): it measures, it never fails.
//   bench_topology [services] [edges] [repeats]
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>

#include "bench/synthetic_mesh.h"
#include "models/mesh_graph.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_view.h"

using meshscope::bench::syntheticMesh;

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void report(const char *what, double ms, double goal)
{
    std::printf("%-44s %9.2f ms   goal < %5.0f ms   %s (%.2f of the goal)\n", what, ms, goal,
                ms < goal ? "ok  " : "OVER", ms / goal);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int services = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int edges = argc > 2 ? std::atoi(argv[2]) : 3000;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 7;

    meshscope::models::MeshGraph graph;
    meshscope::ui::TopologyScene scene(&graph);
    QObject::connect(&graph, &meshscope::models::MeshGraph::changed, &scene,
                     &meshscope::ui::TopologyScene::applyChange);

    QElapsedTimer timer;
    timer.start();
    graph.apply(syntheticMesh(services, edges, 1, 0.995), nullptr, {});
    const double firstMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    std::printf("Topology benchmark: %d services, %d edges, %d nodes and %d edge items, %d repeats "
                "(median)\n\n",
                services, edges, scene.nodeCount(), scene.edgeCount(), repeats);
    std::printf("%-44s %9.2f ms\n", "first snapshot (items created, laid out)", firstMs);

    std::vector<double> layout;
    std::vector<double> paint;
    std::vector<double> refresh;
    std::vector<double> graphDiff;
    QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    for (int i = 0; i < repeats; ++i) {
        timer.restart();
        scene.relayout(true);
        layout.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);

        image.fill(Qt::white);
        // What a view fitted to 1920x1080 shows: the overview when that is too small to read.
        const QRectF all = scene.sceneRect();
        scene.setOverview(scene.wantsOverview(std::min(1920 / all.width(), 1080 / all.height())));
        timer.restart();
        {
            // Every item drawn, the whole graph fitted into the window (what "fit" shows).
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            scene.render(&painter, QRectF(image.rect()), scene.itemsBoundingRect(),
                         Qt::KeepAspectRatio);
        }
        paint.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);

        // The next poll: the same mesh with new figures everywhere (rates, success, latency).
        auto next = syntheticMesh(services, edges, 1, i % 2 ? 0.995 : 0.97);
        timer.restart();
        graph.apply(next, nullptr, {});
        refresh.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    // The diff alone, without the scene attached.
    meshscope::models::MeshGraph bare;
    bare.apply(syntheticMesh(services, edges, 1, 0.995), nullptr, {});
    for (int i = 0; i < repeats; ++i) {
        auto next = syntheticMesh(services, edges, 1, i % 2 ? 0.995 : 0.97);
        timer.restart();
        bare.apply(next, nullptr, {});
        graphDiff.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    const bool fittedOverview = scene.overview();
    scene.setOverview(false);
    timer.restart();
    scene.relayout(true);
    const double layoutWithItems = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    report("layout pass (layered, all nodes)", median(layout), 200);
    report("  the same, zoomed in (items in the scene)", layoutWithItems, 200);
    report("full repaint of the fitted graph, 1920x1080", median(paint), 16);
    report("apply one refresh (diff + update items)", median(refresh), 5);
    std::printf("%-44s %9.2f ms   (part of the above)\n", "  of which the model diff alone",
                median(graphDiff));
    // The same in a real window (offscreen): the view repaints what it shows, as on screen.
    meshscope::ui::TopologyView view(&scene);
    view.resize(1920, 1080);
    view.show();
    QCoreApplication::processEvents();
    const auto repaintMs = [&] {
        std::vector<double> times;
        for (int i = 0; i < repeats; ++i) {
            timer.restart();
            view.viewport()->repaint();
            times.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        }
        return median(times);
    };
    view.fitAll();
    report("window repaint, whole mesh fitted", repaintMs(), 16);
    view.zoomTo(1);
    view.centerOn(scene.sceneRect().center());
    QCoreApplication::processEvents();
    report("window repaint at 1:1, the mesh's busy centre", repaintMs(), 16);
    std::printf("(fitted to 1920x1080 the whole mesh shows as %s)\n",
                fittedOverview ? "the overview: cards and straight edges, batched by colour"
                               : "every item");
    if (argc > 4)
        image.save(QString::fromLocal8Bit(argv[4]));
    return 0;
}
