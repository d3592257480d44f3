# 整改情况报告：整改台账的事实（rectification_*、dispatch_rounds）见 dangwu report facts。
!title {org_unit}关于{period_name}整改落实情况的报告

按照【待填写：整改要求的来源，如巡察反馈意见】，{org_unit}高度重视，现将{period_name}整改落实情况报告如下。

!h1 整改工作开展情况
召开{activities_democratic_life_meeting_titles}，对照反馈问题逐一查摆、剖析根源。
巡察反馈问题共{rectification_items_total}项，已完成整改并对账销号{rectification_items_closed}项，整改完成率{rectification_completion_rate}。
每周调度整改进展{dispatch_rounds}轮。
【待填写：主要整改措施和成效】

!h1 尚未完成的整改事项
对照制度规定仍未落实的要求：{compliance_gaps:semi}。
【待填写：未完成事项的原因和时限】

!h1 下步整改打算
【待填写：巩固整改成果的措施】

!date
