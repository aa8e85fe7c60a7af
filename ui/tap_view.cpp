#include "ui/tap_view.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>

#include "models/tap_model.h"
#include "models/tap_stream.h"
#include "ui/elided_label.h"
#include "ui/tap_details.h"
#include "ui/tap_table.h"

namespace meshscope::ui {

using models::TapModel;

TapView::TapView(models::TapStream *stream, models::TapModel *model, QWidget *parent)
    : QWidget(parent)
    , m_stream(stream)
    , m_model(model)
    , m_service(new QLineEdit(this))
    , m_route(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_status(new QComboBox(this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_state(new ElidedLabel(this))
    , m_split(new QSplitter(Qt::Horizontal, this))
    , m_table(new TapTable(model, m_split))
    , m_details(new TapDetails(m_split))
    , m_debounce(new QTimer(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(FilterDelayMs);
    m_debounce->setObjectName(QStringLiteral("tapFilterDelay"));
    connect(m_debounce, &QTimer::timeout, this, &TapView::applyFilters);
    connect(m_stream, &models::TapStream::arrived, this, &TapView::updateStatus);
    connect(m_stream, &models::TapStream::stateChanged, this,
            [this](bool connected, const QString &message) {
                m_state->setFullText(
                    connected ? message : tr("Tap closed: %1 (opening it again…)").arg(message));
            });
    connect(m_table, &TapTable::currentRequestChanged, this, [this] {
        const auto *event = m_table->currentEvent();
        m_details->showRequest(event ? std::optional(*event) : std::nullopt);
    });
    m_split->setChildrenCollapsible(false);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(filterBar());
    layout->addWidget(m_split, 1);
    m_state->setFullText(tr("The tap opens when this tab is shown."));
}

// Closing the window takes the focus from a filter field, which would apply it: not any more.
TapView::~TapView()
{
    for (QWidget *field : std::initializer_list<QWidget *> {m_service, m_route, m_path, m_status})
        field->disconnect(this);
}

// The filters, the state of the tap, and what one does with its rows, on one line.
QLayout *TapView::filterBar()
{
    m_service->setObjectName(QStringLiteral("tapService"));
    m_route->setObjectName(QStringLiteral("tapRoute"));
    m_path->setObjectName(QStringLiteral("tapPath"));
    m_status->setObjectName(QStringLiteral("tapStatus"));
    m_service->setPlaceholderText(tr("service"));
    m_service->setToolTip(tr("Only requests to this service (name or name.namespace); filters "
                             "apply as you type, Enter applies at once"));
    m_route->setPlaceholderText(tr("route"));
    m_route->setToolTip(tr("Only requests matching this route of the destination"));
    m_path->setPlaceholderText(tr("path prefix"));
    m_path->setToolTip(tr("Only paths starting with this"));
    m_status->addItems({tr("any status"), QStringLiteral("2xx"), QStringLiteral("3xx"),
                        QStringLiteral("4xx"), QStringLiteral("5xx")});
    m_status->setToolTip(tr("Only answers of this class"));
    // Squeezed in a narrow window rather than widening it.
    m_status->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("5xx")) + 40);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop adding rows (the tap stays open); press again to go on"));
    auto *clear = new QPushButton(tr("Clear"), this);
    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setToolTip(
        tr("Copy the selected rows (all rows when none is selected) as tab-separated text"));
    auto *save = new QPushButton(tr("CSV…"), this);
    save->setToolTip(tr("Export the rows shown to a CSV file"));
    for (auto *edit : {m_service, m_route, m_path}) {
        edit->setClearButtonEnabled(true);
        edit->setMinimumWidth(fontMetrics().averageCharWidth() * 5);
        connect(edit, &QLineEdit::textEdited, this, [this] { m_debounce->start(); });
        connect(edit, &QLineEdit::returnPressed, this, &TapView::applyFilters);
        connect(edit, &QLineEdit::editingFinished, this, &TapView::applyFilters);
    }
    connect(m_status, &QComboBox::currentIndexChanged, this, &TapView::applyFilters);
    connect(m_pause, &QPushButton::toggled, this, &TapView::setPaused);
    connect(clear, &QPushButton::clicked, m_model, &TapModel::clear);
    connect(copy, &QPushButton::clicked, this, &TapView::copySelection);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export the tap"), QStringLiteral("tap.csv"), tr("CSV (*.csv)"));
        if (!file.isEmpty() && !exportCsv(file))
            m_state->setFullText(tr("Cannot write %1").arg(file));
    });
    m_state->setForegroundRole(QPalette::PlaceholderText);
    auto *bar = new QHBoxLayout;
    bar->setSpacing(4);
    bar->addWidget(m_service, 2);
    bar->addWidget(m_route, 1);
    bar->addWidget(m_path, 2);
    bar->addWidget(m_status);
    bar->addWidget(m_state, 3);
    for (auto *button : {m_pause, clear, copy, save}) {
        // As narrow as their words: the bar must fit a narrow window.
        button->setMinimumWidth(button->fontMetrics().horizontalAdvance(button->text()) + 12);
        button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        bar->addWidget(button);
    }
    return bar;
}

void TapView::setFilters(const QString &service, const QString &route, const QString &statusClass,
                         const QString &pathPrefix)
{
    m_service->setText(service);
    m_route->setText(route);
    m_path->setText(pathPrefix);
    {
        const QSignalBlocker block(m_status);
        m_status->setCurrentIndex(std::max(0, m_status->findText(statusClass)));
    }
    applyFilters();
}

meshcore::telemetry::TapFilter TapView::filter() const
{
    meshcore::telemetry::TapFilter filter;
    filter.service = m_service->text().trimmed().toStdString();
    filter.route = m_route->text().trimmed().toStdString();
    filter.pathPrefix = m_path->text().trimmed().toStdString();
    filter.statusClass = static_cast<unsigned>(m_status->currentIndex() + 1);
    if (m_status->currentIndex() <= 0)
        filter.statusClass = 0;
    return filter;
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

QString TapView::statusText() const
{
    return m_state->fullText();
}

// New filters: the rows of the old ones go, and the tap opens again with the new ones (when it
// is open). Nothing happens when the filters did not change (Enter after the pause applied them).
void TapView::applyFilters()
{
    m_debounce->stop();
    if (query() == m_applied)
        return;
    m_applied = query();
    m_model->setFilter(filter());
    if (m_started)
        restart();
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
    m_applied = query();
    m_model->setFilter(filter());
    m_stream->start(m_applied);
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
        m_state->setFullText(tr("Paused: %n request(s) not shown", nullptr,
                                static_cast<int>(m_model->missedWhilePaused())));
}

void TapView::copySelection()
{
    QApplication::clipboard()->setText(m_model->toText(m_table->sourceRows(true)));
}

bool TapView::exportCsv(const QString &file) const
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return out.write(m_model->toText(m_table->sourceRows(false), QLatin1Char(',')).toUtf8()) >= 0;
}

} // namespace meshscope::ui
