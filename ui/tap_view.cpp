#include "ui/tap_view.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QUrlQuery>
#include <QVBoxLayout>

#include "models/tap_model.h"
#include "models/tap_stream.h"
#include "ui/status_delegate.h"

namespace meshscope::ui {

TapView::TapView(models::TapStream *stream, models::TapModel *model, QWidget *parent)
    : QWidget(parent)
    , m_stream(stream)
    , m_model(model)
    , m_service(new QLineEdit(this))
    , m_route(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_status(new QComboBox(this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_state(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_service->setPlaceholderText(tr("service"));
    m_service->setToolTip(tr("Only requests to this service (name or name.namespace)"));
    m_route->setPlaceholderText(tr("route"));
    m_route->setToolTip(tr("Only requests matching this route of the destination"));
    m_path->setPlaceholderText(tr("path prefix"));
    m_path->setToolTip(tr("Only paths starting with this"));
    m_status->addItems({tr("any status"), QStringLiteral("2xx"), QStringLiteral("3xx"),
                        QStringLiteral("4xx"), QStringLiteral("5xx")});
    m_status->setToolTip(tr("Only answers of this class"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop adding rows (the tap stays open); press again to go on"));
    auto *clear = new QPushButton(tr("Clear"), this);
    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setToolTip(
        tr("Copy the selected rows (all rows when none is selected) as tab-separated text"));
    auto *save = new QPushButton(tr("Export CSV…"), this);
    for (auto *edit : {m_service, m_route, m_path})
        connect(edit, &QLineEdit::editingFinished, this, &TapView::restart);
    connect(m_status, &QComboBox::currentIndexChanged, this, &TapView::restart);
    connect(m_pause, &QPushButton::toggled, this, &TapView::setPaused);
    connect(clear, &QPushButton::clicked, m_model, &models::TapModel::clear);
    connect(copy, &QPushButton::clicked, this, &TapView::copySelection);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export the tap"), QStringLiteral("tap.csv"), tr("CSV (*.csv)"));
        if (!file.isEmpty() && !exportCsv(file))
            m_state->setText(tr("Cannot write %1").arg(file));
    });
    connect(m_stream, &models::TapStream::arrived, this, &TapView::updateStatus);
    connect(m_stream, &models::TapStream::stateChanged, this,
            [this](bool connected, const QString &message) {
                m_state->setText(connected ? message
                                           : tr("Tap closed: %1 (opening it again…)").arg(message));
            });

    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    StatusDelegate::install(m_table);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_service);
    filters->addWidget(m_route);
    filters->addWidget(m_path);
    filters->addWidget(m_status);
    filters->addWidget(m_pause);
    filters->addWidget(clear);
    filters->addWidget(copy);
    filters->addWidget(save);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_state);
    layout->addWidget(m_table);
    m_state->setText(tr("The tap opens when this tab is shown."));
}

void TapView::setFilters(const QString &service, const QString &route, const QString &statusClass,
                         const QString &pathPrefix)
{
    m_service->setText(service);
    m_route->setText(route);
    m_path->setText(pathPrefix);
    const QSignalBlocker block(m_status);
    m_status->setCurrentIndex(std::max(0, m_status->findText(statusClass)));
    if (m_started)
        restart();
}

QString TapView::query() const
{
    QUrlQuery query;
    if (!m_service->text().trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("service"), m_service->text().trimmed());
    if (!m_route->text().trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("route"), m_route->text().trimmed());
    if (!m_path->text().trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("path"),
                           QString::fromLatin1(QUrl::toPercentEncoding(m_path->text().trimmed())));
    if (m_status->currentIndex() > 0)
        query.addQueryItem(QStringLiteral("status"), m_status->currentText());
    return query.toString(QUrl::FullyEncoded);
}

void TapView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_started)
        restart();
}

void TapView::retarget()
{
    m_started = false;
    m_model->clear();
    if (isVisible())
        restart();
}

void TapView::restart()
{
    m_started = true;
    m_stream->start(query());
}

void TapView::setPaused(bool paused)
{
    m_model->setPaused(paused);
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    updateStatus();
}

void TapView::updateStatus()
{
    if (m_model->paused())
        m_state->setText(tr("Paused: %n request(s) not shown", nullptr,
                            static_cast<int>(m_model->missedWhilePaused())));
}

void TapView::copySelection()
{
    QList<int> rows;
    for (const auto &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty())
        for (int row = 0; row < m_model->rowCount(); ++row)
            rows << row;
    std::sort(rows.begin(), rows.end());
    QApplication::clipboard()->setText(m_model->toText(rows));
}

bool TapView::exportCsv(const QString &file) const
{
    QList<int> rows;
    for (int row = 0; row < m_model->rowCount(); ++row)
        rows << row;
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return out.write(m_model->toText(rows, QLatin1Char(',')).toUtf8()) >= 0;
}

} // namespace meshscope::ui
