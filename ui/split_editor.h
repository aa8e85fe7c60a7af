#pragma once

#include <QWidget>

#include <vector>

#include "admin/api_types.h"

class QGridLayout;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace meshscope::ui {

// A service's traffic split between its versions, with a slider per version. The user moves
// them, then Apply asks for confirmation and hands the new weights on (the window sends them to
// meshd); Reset goes back to the split in force. Polls do not move sliders being edited.
// Thread: GUI.
class SplitEditor : public QWidget {
    Q_OBJECT
public:
    explicit SplitEditor(QWidget *parent = nullptr);

    // The split in force for `service` ("name.ns"); ignored while the user edits it.
    void showSplit(const QString &service, const meshcore::admin::SplitInfo *split);
    bool editing() const { return m_editing; }
    // The weights as the sliders say (for tests and the confirmation).
    std::vector<meshcore::admin::BackendShare> weights() const;
    void setWeight(const QString &version, int weight); // as if the user moved the slider
    // Asks before applying unless `confirm` is false (tests).
    void apply(bool confirm = true);
    QString note() const; // what is in force and whether it survives a restart

Q_SIGNALS:
    void applyRequested(const QString &service,
                        const std::vector<meshcore::admin::BackendShare> &weights);

private:
    struct Row {
        QString version;
        QSlider *slider;
        QSpinBox *weight;
        QLabel *share;
    };
    void rebuild(const meshcore::admin::SplitInfo &split);
    void updateShares();
    void setEditing(bool editing);
    static QString noteFor(const meshcore::admin::SplitInfo &split);

    QString m_service;
    std::vector<Row> m_rows;
    QGridLayout *m_grid;
    QLabel *m_note;
    QPushButton *m_apply;
    QPushButton *m_reset;
    meshcore::admin::SplitInfo m_inForce;
    bool m_editing = false;
    bool m_updating = false;
};

} // namespace meshscope::ui
