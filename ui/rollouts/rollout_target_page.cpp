// The wizard's first page: which service, which version serves now and which one rolls out.
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>

#include "ui/rollouts/rollout_pages.h"

namespace meshscope::ui {

TargetPage::TargetPage(std::vector<RolloutTarget> targets, const QString &service, QWidget *parent)
    : RolloutPage(tr("What to roll out"),
                  tr("A service with two versions or more: the stable one serves now, the "
                     "candidate takes over if its analysis passes."),
                  parent)
    , m_targets(std::move(targets))
    , m_service(new QComboBox(this))
    , m_stable(new QComboBox(this))
    , m_candidate(new QComboBox(this))
{
    m_service->setObjectName(QStringLiteral("service"));
    m_stable->setObjectName(QStringLiteral("stable"));
    m_candidate->setObjectName(QStringLiteral("candidate"));
    for (const auto &target : m_targets)
        m_service->addItem(target.key);
    if (const int wanted = m_service->findText(service); wanted >= 0)
        m_service->setCurrentIndex(wanted);
    auto *form = new QFormLayout;
    form->addRow(tr("&Service:"), m_service);
    form->addRow(tr("S&table version (serves now):"), m_stable);
    form->addRow(tr("&Candidate version (rolled out):"), m_candidate);
    body()->addLayout(form);
    if (m_targets.empty()) {
        auto *none = new QLabel(tr("No service of the mesh has two versions: a rollout moves "
                                   "traffic from one version to another."),
                                this);
        none->setWordWrap(true);
        body()->addWidget(none);
    }
    connect(m_service, &QComboBox::currentIndexChanged, this, &TargetPage::showVersions);
    connect(m_stable, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_candidate, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    showVersions();
}

void TargetPage::showVersions()
{
    const int index = m_service->currentIndex();
    const QStringList versions = index >= 0 && index < static_cast<int>(m_targets.size())
        ? m_targets[static_cast<std::size_t>(index)].versions
        : QStringList();
    m_stable->clear();
    m_candidate->clear();
    m_stable->addItems(versions);
    m_candidate->addItems(versions);
    // The first version is taken to serve now, the last to be the new one.
    m_candidate->setCurrentIndex(static_cast<int>(versions.size()) - 1);
    changed();
}

void TargetPage::writeTo(meshcore::control::RolloutSpec &spec) const
{
    const int index = m_service->currentIndex();
    if (index < 0 || index >= static_cast<int>(m_targets.size()))
        return;
    const auto &target = m_targets[static_cast<std::size_t>(index)];
    spec.service = target.name.toStdString();
    spec.ns = target.ns.toStdString();
    spec.stable = m_stable->currentText().toStdString();
    spec.candidate = m_candidate->currentText().toStdString();
}

} // namespace meshscope::ui
